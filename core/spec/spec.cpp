// SPDX-License-Identifier: MIT
#include "spec.h"

namespace kf::spec {

std::vector<const Tensor*> Spec::tensors() const {
    std::vector<const Tensor*> all;
    all.reserve(inputs.size() + outputs.size());
    for (const auto& t : inputs) {
        all.push_back(&t);
    }
    for (const auto& t : outputs) {
        all.push_back(&t);
    }
    return all;
}

double footprintBytes(const Spec& spec, const SizeCase& size) {
    const auto all = spec.tensors();
    double total = 0.0;
    for (std::size_t i = 0; i < all.size() && i < size.dims.size(); ++i) {
        double elements = 1.0;
        for (const auto d : size.dims[i]) {
            elements *= static_cast<double>(d);
        }
        total += elements * dtypeBytes(all[i]->dtype);
    }
    return total;
}

} // namespace kf::spec
