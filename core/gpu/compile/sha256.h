// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace kf::gpu::compile {

// SHA-256 (FIPS 180-4), written out because kf-runner builds on GPU hosts without OpenSSL; it names compile
// cache entries and checks that a cached library is the one that was stored.
class Sha256 {
public:
    Sha256();
    void update(std::string_view data);
    std::string hexDigest(); // finishes: 64 lowercase hex digits

private:
    void block(const unsigned char* p);

    std::array<std::uint32_t, 8> m_h{};
    std::array<unsigned char, 64> m_buf{};
    std::size_t m_used = 0;
    std::uint64_t m_bytes = 0;
};

std::string sha256Hex(std::string_view data);

} // namespace kf::gpu::compile
