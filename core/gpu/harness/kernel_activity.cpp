// SPDX-License-Identifier: MIT
#include "kernel_activity.h"

#include <algorithm>
#include <cstdlib>
#include <cupti_activity.h>
#include <dlfcn.h>
#include <mutex>

namespace kf::gpu {

namespace {

constexpr std::size_t kBufferBytes = 8u << 20;

// CUPTI calls its buffer callbacks from its own threads; completed records wait here until collect().
std::mutex g_mutex;
std::vector<KernelRecord> g_records;

void CUPTIAPI bufferRequested(uint8_t** buffer, size_t* size, size_t* max_records) {
    *buffer = static_cast<uint8_t*>(std::aligned_alloc(8, kBufferBytes));
    *size = *buffer != nullptr ? kBufferBytes : 0;
    *max_records = 0;
}

} // namespace

struct KernelActivity::Api {
    void* lib = nullptr;
    decltype(&cuptiActivityRegisterCallbacks) registerCallbacks = nullptr;
    decltype(&cuptiActivityEnable) enable = nullptr;
    decltype(&cuptiActivityDisable) disable = nullptr;
    decltype(&cuptiActivityFlushAll) flushAll = nullptr;
    decltype(&cuptiActivityGetNextRecord) nextRecord = nullptr;
};

namespace {

KernelActivity::Api* g_api = nullptr;

void CUPTIAPI bufferCompleted(CUcontext, uint32_t, uint8_t* buffer, size_t, size_t valid) {
    std::vector<KernelRecord> found;
    CUpti_Activity* record = nullptr;
    while (g_api != nullptr && g_api->nextRecord(buffer, valid, &record) == CUPTI_SUCCESS) {
        if (record->kind == CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL) {
            const auto* k = reinterpret_cast<const CUpti_ActivityKernel10*>(record);
            found.push_back({k->start, k->end, k->name != nullptr ? k->name : ""});
        }
    }
    std::free(buffer);
    const std::lock_guard lock(g_mutex);
    g_records.insert(g_records.end(), found.begin(), found.end());
}

template <typename F>
bool resolve(void* lib, const char* name, F& fn) {
    fn = reinterpret_cast<F>(dlsym(lib, name));
    return fn != nullptr;
}

} // namespace

std::unique_ptr<KernelActivity> KernelActivity::open(std::string* why_not) {
    const auto fail = [&](const std::string& why) -> std::unique_ptr<KernelActivity> {
        if (why_not != nullptr) {
            *why_not = why;
        }
        return nullptr;
    };
    if (g_api != nullptr) {
        return fail("CUPTI activity is already in use in this process");
    }
    void* lib = nullptr;
    for (const char* name :
         {"libcupti.so", "libcupti.so.13", "libcupti.so.12", "/usr/local/cuda/lib64/libcupti.so",
          "/usr/local/cuda/extras/CUPTI/lib64/libcupti.so"}) {
        if ((lib = dlopen(name, RTLD_NOW | RTLD_LOCAL)) != nullptr) {
            break;
        }
    }
    if (lib == nullptr) {
        return fail("libcupti not found");
    }
    auto api = std::make_unique<Api>();
    api->lib = lib;
    if (!resolve(lib, "cuptiActivityRegisterCallbacks", api->registerCallbacks) ||
        !resolve(lib, "cuptiActivityEnable", api->enable) ||
        !resolve(lib, "cuptiActivityDisable", api->disable) ||
        !resolve(lib, "cuptiActivityFlushAll", api->flushAll) ||
        !resolve(lib, "cuptiActivityGetNextRecord", api->nextRecord)) {
        return fail("libcupti lacks the activity API");
    }
    g_api = api.get();
    if (api->registerCallbacks(bufferRequested, bufferCompleted) != CUPTI_SUCCESS) {
        g_api = nullptr;
        return fail("CUPTI refused the activity buffers (a profiler may own it)");
    }
    return std::unique_ptr<KernelActivity>(new KernelActivity(std::move(api)));
}

KernelActivity::KernelActivity(std::unique_ptr<Api> api)
    : api_(std::move(api)) {}

KernelActivity::~KernelActivity() {
    disable();
    api_->flushAll(CUPTI_ACTIVITY_FLAG_FLUSH_FORCED);
    g_api = nullptr;
    // libcupti stays loaded: its threads may outlive this object.
}

bool KernelActivity::enable() {
    collect(); // drop anything older
    return api_->enable(CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL) == CUPTI_SUCCESS;
}

void KernelActivity::disable() {
    api_->disable(CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL);
}

std::vector<KernelRecord> KernelActivity::collect() {
    api_->flushAll(CUPTI_ACTIVITY_FLAG_FLUSH_FORCED);
    std::vector<KernelRecord> out;
    {
        const std::lock_guard lock(g_mutex);
        out.swap(g_records);
    }
    std::sort(out.begin(), out.end(),
              [](const KernelRecord& a, const KernelRecord& b) { return a.start_ns < b.start_ns; });
    return out;
}

} // namespace kf::gpu
