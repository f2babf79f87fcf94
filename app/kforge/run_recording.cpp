// SPDX-License-Identifier: MIT
#include "run_recording.h"

#include "dataset/store.h"
#include "spec/spec_json.h"

#include <iostream>

namespace kf::cli {

int recordRun(const std::string& db_path, const runner::Job& job, const runner::RunSummary& run) {
    try {
        auto store = dataset::Store::open(db_path.empty() ? dataset::Store::defaultPath() : db_path);
        const auto spec_json = spec::specToJson(*job.spec).dump();
        const dataset::SpecRecord sr{dataset::sha256Hex(spec_json), job.spec->id, spec_json,
                                     job.spec->category};
        store.putSpec(sr);
        const std::string hash = dataset::normalizedSourceHash(job.candidate_source);
        std::int64_t kernel_id = 0;
        for (const auto& k : store.kernelsForSpec(sr.hash)) {
            if (k.source_hash == hash) {
                kernel_id = k.id; // the newest kernel with this source: a teacher's answer if it was one
            }
        }
        if (kernel_id == 0) {
            dataset::KernelRecord k;
            k.spec_hash = sr.hash;
            k.source = job.candidate_source;
            k.origin = "human";
            k.created_at = dataset::utcNow();
            kernel_id = store.addKernel(k);
        }
        dataset::RunRecord r;
        r.kernel_id = kernel_id;
        r.device_json = run.device().dump();
        r.harness_version = run.harnessVersion();
        r.events_json = run.events().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        r.verdict = run.verdict();
        const auto& done = run.done();
        r.speedup = done.contains("speedup_geomean") && done["speedup_geomean"].is_number()
                        ? done["speedup_geomean"].get<double>()
                        : -1.0;
        r.created_at = dataset::utcNow();
        const auto id = store.addRun(r);
        std::cerr << "kforge: run " << id << " of kernel " << kernel_id << " recorded in " << store.path()
                  << "\n";
        return 0;
    } catch (const dataset::StoreError& e) {
        std::cerr << "kforge: the run was not recorded: " << e.what() << "\n";
        return 1;
    }
}

} // namespace kf::cli
