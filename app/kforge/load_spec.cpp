// SPDX-License-Identifier: MIT
#include "load_spec.h"

#include <iostream>

namespace kf::cli {

std::unique_ptr<spec::LoadedSpec> loadValidSpec(const std::string& path) {
    auto loaded = std::make_unique<spec::LoadedSpec>(spec::loadSpecFile(path));
    for (const auto& d : loaded->diagnostics) {
        std::cerr << spec::formatDiagnostic(d) << '\n';
    }
    if (!loaded->ok) {
        std::cerr << "kforge: " << path << " has errors; fix them first (kforge spec check " << path << ")\n";
        return nullptr;
    }
    return loaded;
}

std::optional<spec::TargetGpu> targetGpuOrComplain(const std::string& key) {
    if (auto target = spec::findTargetGpu(key)) {
        return target;
    }
    std::string known;
    for (const auto& g : spec::knownTargetGpus()) {
        known += (known.empty() ? "" : ", ") + g.key;
    }
    std::cerr << "kforge: unknown --gpu '" << key << "' (one of " << known << ")\n";
    return std::nullopt;
}

} // namespace kf::cli
