// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kf::spec {

class TemplateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Replaces `{{name}}` with values[name]; drops `{{! comments }}` (and the line, when a comment is all it
// holds). An unknown or unterminated placeholder throws TemplateError naming its line: a template typo must
// never reach a teacher as literal braces.
std::string renderTemplate(std::string_view text, const std::map<std::string, std::string>& values);

} // namespace kf::spec
