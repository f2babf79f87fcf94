// SPDX-License-Identifier: MIT
#pragma once

// sha256 (lower-case hex) for the export's many small hashes: row ids, prompt keys, raw streams. The same
// value as sha256Hex (store.h); this one keeps its OpenSSL digest and context from call to call (OpenSSL 3
// looks the algorithm up on every EVP_Digest, a visible cost per row). Internal to kf_dataset.

#include <string>
#include <string_view>

namespace kf::dataset::detail {

std::string sha256Of(std::string_view bytes);

} // namespace kf::dataset::detail
