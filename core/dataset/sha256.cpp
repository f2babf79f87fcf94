// SPDX-License-Identifier: MIT
#include "sha256.h"

#include "store.h"

#include <memory>
#include <openssl/evp.h>

namespace kf::dataset::detail {

namespace {

struct Digest {
    Digest()
        : md(EVP_MD_fetch(nullptr, "SHA256", nullptr))
        , ctx(EVP_MD_CTX_new()) {}
    ~Digest() {
        EVP_MD_CTX_free(ctx);
        EVP_MD_free(md);
    }
    Digest(const Digest&) = delete;
    Digest& operator=(const Digest&) = delete;

    EVP_MD* md;
    EVP_MD_CTX* ctx;
};

} // namespace

std::string sha256Of(std::string_view bytes) {
    thread_local Digest d;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (d.md == nullptr || d.ctx == nullptr || EVP_DigestInit_ex(d.ctx, d.md, nullptr) != 1 ||
        EVP_DigestUpdate(d.ctx, bytes.data(), bytes.size()) != 1 ||
        EVP_DigestFinal_ex(d.ctx, md, &len) != 1) {
        throw StoreError("sha256: OpenSSL failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(2 * len, '0');
    for (unsigned int i = 0; i < len; ++i) {
        out[2 * i] = kHex[md[i] >> 4];
        out[2 * i + 1] = kHex[md[i] & 0xf];
    }
    return out;
}

} // namespace kf::dataset::detail
