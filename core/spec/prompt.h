// SPDX-License-Identifier: MIT
#pragma once

#include "spec.h"
#include "target_gpu.h"

#include <map>
#include <string>
#include <string_view>

namespace kf::spec {

// resources/prompts/kernel-task.md, compiled in so the CLI needs no resource directory at run time.
std::string_view defaultPromptTemplate();
inline constexpr const char* kPromptTemplateId = "kernel-task";
inline constexpr const char* kPromptTemplateVersion = "1";

// The placeholders a prompt template may use, filled from the spec and the target GPU.
std::map<std::string, std::string> promptValues(const Spec& spec, const TargetGpu& target);

// Renders `templ` (defaultPromptTemplate() when empty). Throws TemplateError on a broken template.
std::string renderPrompt(const Spec& spec, const TargetGpu& target, std::string_view templ = {});

} // namespace kf::spec
