// SPDX-License-Identifier: MIT
#pragma once

// Reading the attempts of an export from the store. Internal to kf_dataset.
//
// Store::forEachAttempt loads everything of every attempt, but most of what an export reads it does not need:
// an attempt that is neither exported nor a preference candidate needs its reviews, kernels and runs only,
// and a candidate adds its conversation alone. So the reader streams the small columns and loads the large
// ones (the ~25 KB conversation, the raw stream) when asked, each with one indexed lookup, inside one read
// transaction of its own read-only connection (WAL: it sees what was committed when the export began, and
// blocks no writer). An in-memory store cannot be opened twice: it is read through Store::forEachAttempt.

#include "records.h"
#include "store.h"

#include <functional>
#include <memory>
#include <string_view>

namespace kf::dataset::detail {

class ExportReader {
public:
    explicit ExportReader(const Store& store);
    ExportReader(const ExportReader&) = delete;
    ExportReader& operator=(const ExportReader&) = delete;
    ~ExportReader();

    // One attempt, its large values on request. Valid until the next attempt is read.
    class Attempt {
    public:
        // Everything but conversation_json and raw_stream, and until loadBlobs() the kernels' sources and the
        // runs' device_json and events_json.
        const AttemptDetail& detail() const { return m_detail; }
        // Fills in the kernels' sources and the runs' device_json and events_json, in place (pointers into
        // the detail stay valid).
        void loadBlobs();
        std::string_view conversation();
        std::string_view rawStream();

    private:
        friend class ExportReader;
        AttemptDetail m_detail;
        ExportReader* m_reader = nullptr;
        bool m_full = false;  // the detail has everything (in-memory store)
        bool m_blobs = false; // loadBlobs() done
    };

    // The attempts matching `filter` (limit and offset ignored), in Store::forEachAttempt's order.
    void forEach(const AttemptFilter& filter, const std::function<void(Attempt&)>& fn);

    // One attempt by id; nullptr when there is none.
    Attempt* load(int64_t id);

    // An attempt's conversation_json alone, valid until the next call.
    std::string_view conversationOf(int64_t id);

private:
    struct Impl;
    std::unique_ptr<Impl> m;
    const Store& m_store;
};

} // namespace kf::dataset::detail
