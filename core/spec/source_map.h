// SPDX-License-Identifier: MIT
#pragma once

#include "diagnostic.h"

#include <string>
#include <unordered_map>

namespace kf::spec {

// Where each value of a parsed spec was written, keyed by its path: "flops", "inputs[0].shape[1]",
// "sizes[2].rows". Lets checks that run after parsing still point at line and column.
class SourceMap {
public:
    struct Entry {
        SourcePos pos;        // first character of the value
        bool single_line = false; // a plain or quoted one-line scalar: offsets into the text map to columns
    };

    void set(const std::string& path, Entry entry) { m_entries[path] = entry; }
    bool has(const std::string& path) const { return m_entries.contains(path); }
    // A value that was written but could not be read (wrong type): later checks stay quiet about it.
    void markInvalid(const std::string& path) { m_invalid[path] = true; }
    bool usable(const std::string& path) const { return has(path) && !m_invalid.contains(path); }

    // The position of `path`, or of its nearest recorded ancestor ("inputs[0].shape[1]" -> "inputs[0]" -> ...).
    SourcePos find(const std::string& path) const;

    // The column of character `offset` inside the scalar at `path`, when it is a one-line scalar.
    SourcePos findOffset(const std::string& path, std::size_t offset) const;

private:
    std::unordered_map<std::string, Entry> m_entries;
    std::unordered_map<std::string, bool> m_invalid;
};

} // namespace kf::spec
