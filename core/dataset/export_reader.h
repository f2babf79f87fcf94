// SPDX-License-Identifier: MIT
#pragma once

// Reading the attempts of an export from the store. Internal to kf_dataset.
//
// Store::forEachAttempt loads everything of every attempt, but most of what an export reads it does not need:
// an attempt that is neither exported nor a preference candidate needs its reviews, kernels and runs only,
// and a candidate adds its conversation alone. So the reader streams what decides that, and loads the rest
// when asked, inside one read transaction of its own read-only connection (WAL: it sees what was committed
// when the export began, and blocks no writer):
// - the attempts in export order come from an index that covers the order and the filter, without reading
//   the attempts' rows (each ~25 KB, on pages of their own);
// - their kernels, runs and reviews come from three streams, merged by attempt;
// - an attempt's own columns, its conversation, raw stream, kernel sources and run events are one indexed
//   lookup each, for the attempts that need them.
// An in-memory store cannot be opened twice: it is read through Store::forEachAttempt.

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
        // Until loadAll(): of the attempt, its id and spec_hash only (and spec); its kernels without their
        // source; its runs without device_json and events_json; its reviews whole.
        const AttemptDetail& detail() const { return m_detail; }
        // Fills in the rest of detail() in place (pointers into it stay valid): all of the attempt's columns
        // but conversation_json and raw_stream, the kernels' sources, the runs' device_json and events_json.
        void loadAll();
        std::string_view conversation();
        std::string_view rawStream();

    private:
        friend class ExportReader;
        AttemptDetail m_detail;
        ExportReader* m_reader = nullptr;
        bool m_full = false;   // the detail has everything (in-memory store)
        bool m_loaded = false; // loadAll() done
    };

    // The attempts matching `filter` (limit and offset ignored), in Store::forEachAttempt's order.
    void forEach(const AttemptFilter& filter, const std::function<void(Attempt&)>& fn);

    // One attempt by id, everything loaded but its conversation and raw stream; nullptr when there is none.
    Attempt* load(int64_t id);

    // An attempt's conversation_json alone, valid until the next call.
    std::string_view conversationOf(int64_t id);

private:
    struct Impl;
    std::unique_ptr<Impl> m;
    const Store& m_store;
};

} // namespace kf::dataset::detail
