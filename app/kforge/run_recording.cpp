// SPDX-License-Identifier: MIT
#include "run_recording.h"

#include "dataset/store.h"
#include "recording/recording.h"

#include <iostream>

namespace kf::cli {

int recordRun(const std::string& db_path, const runner::Job& job, const runner::RunSummary& run) {
    try {
        auto store = dataset::Store::open(db_path.empty() ? dataset::Store::defaultPath() : db_path);
        const auto recorded = recording::recordRun(store, job, run);
        std::cerr << "kforge: run " << recorded.run_id << " of kernel " << recorded.kernel_id
                  << " recorded in " << store.path() << "\n";
        return 0;
    } catch (const dataset::StoreError& e) {
        std::cerr << "kforge: the run was not recorded: " << e.what() << "\n";
        return 1;
    }
}

} // namespace kf::cli
