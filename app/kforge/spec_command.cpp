// SPDX-License-Identifier: MIT
#include "spec_command.h"

#include "load_spec.h"
#include "output.h"
#include "spec/launcher.h"
#include "spec/prompt.h"
#include "spec/spec_json.h"
#include "spec/spec_loader.h"
#include "spec/template_renderer.h"

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace kf::cli {
namespace {

struct SpecOptions {
    std::vector<std::string> files;
    std::string file;
    bool quiet = false;
    bool compact = false;
    std::string gpu = "h100-sxm";
    std::string template_path;
    std::string role = "candidate";
};

void printDiagnostics(const spec::LoadedSpec& loaded) {
    for (const auto& d : loaded.diagnostics) {
        std::cerr << spec::formatDiagnostic(d) << '\n';
    }
}

int warningCount(const spec::LoadedSpec& loaded) {
    int n = 0;
    for (const auto& d : loaded.diagnostics) {
        n += d.severity == spec::Severity::Warning ? 1 : 0;
    }
    return n;
}

int runCheck(const SpecOptions& o) {
    int failed = 0;
    std::string report;
    for (const auto& path : o.files) {
        const auto loaded = spec::loadSpecFile(path);
        printDiagnostics(loaded);
        if (!loaded.ok) {
            ++failed;
            continue;
        }
        if (!o.quiet) {
            const int warnings = warningCount(loaded);
            report += path + ": ok (" + loaded.spec.id + ", " + std::to_string(loaded.spec.sizes.size()) +
                      " sizes" + (warnings ? ", " + std::to_string(warnings) + " warnings" : std::string()) +
                      ")\n";
        }
    }
    if (failed > 0 && o.files.size() > 1) {
        std::cerr << "kforge: " << failed << " of " << o.files.size() << " specs have errors\n";
    }
    return writeStdout(report, failed == 0 ? 0 : 1);
}

int runJson(const SpecOptions& o) {
    const auto loaded = loadValidSpec(o.file);
    if (!loaded) {
        return 1;
    }
    return writeStdout(spec::specToJson(loaded->spec).dump(o.compact ? -1 : 2) + "\n", 0);
}

int runPrompt(const SpecOptions& o) {
    const auto target = targetGpuOrComplain(o.gpu);
    if (!target) {
        return 2;
    }
    std::string templ;
    if (!o.template_path.empty()) {
        std::ifstream in(o.template_path, std::ios::binary);
        if (!in) {
            std::cerr << "kforge: cannot open template " << o.template_path << "\n";
            return 1;
        }
        std::ostringstream text;
        text << in.rdbuf();
        templ = text.str();
    }
    const auto loaded = loadValidSpec(o.file);
    if (!loaded) {
        return 1;
    }
    try {
        return writeStdout(spec::renderPrompt(loaded->spec, *target, templ), 0);
    } catch (const spec::TemplateError& e) {
        std::cerr << "kforge: " << (o.template_path.empty() ? "built-in template" : o.template_path) << ": "
                  << e.what() << '\n';
        return 1;
    }
}

int runLauncher(const SpecOptions& o) {
    const auto loaded = loadValidSpec(o.file);
    if (!loaded) {
        return 1;
    }
    const auto role = o.role == "reference"  ? spec::Role::Reference
                      : o.role == "baseline" ? spec::Role::Baseline
                                             : spec::Role::Candidate;
    return writeStdout(spec::launcherPrototype(loaded->spec, role) + "\n", 0);
}

} // namespace

void addSpecCommands(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<SpecOptions>();
    auto* spec = app.add_subcommand("spec", "Check kernel specs and show what follows from them");
    spec->require_subcommand(1);

    auto* check =
        spec->add_subcommand("check", "Validate specs; print file:line:col errors; exit 1 if any has errors");
    check->add_option("files", options->files, "*.kspec.yaml files")->required()->check(CLI::ExistingFile);
    check->add_flag("-q,--quiet", options->quiet, "Print only problems");
    check->callback([options, &exit_code] { exit_code = runCheck(*options); });

    auto* json = spec->add_subcommand("json", "Print the normalized JSON form that a kf-runner job carries");
    json->add_option("file", options->file, "A *.kspec.yaml file")->required()->check(CLI::ExistingFile);
    json->add_flag("--compact", options->compact, "One line instead of indented JSON");
    json->callback([options, &exit_code] { exit_code = runJson(*options); });

    auto* prompt = spec->add_subcommand("prompt", "Print the teacher prompt rendered from the spec");
    prompt->add_option("file", options->file, "A *.kspec.yaml file")->required()->check(CLI::ExistingFile);
    prompt
        ->add_option("--gpu", options->gpu, "Target GPU described in the prompt (h100-sxm, h100-pcie, h200)")
        ->capture_default_str();
    prompt->add_option("--template", options->template_path, "A prompt template instead of the built-in one")
        ->check(CLI::ExistingFile);
    prompt->callback([options, &exit_code] { exit_code = runPrompt(*options); });

    auto* launcher =
        spec->add_subcommand("launcher", "Print the launcher prototype (the ABI every kernel implements)");
    launcher->add_option("file", options->file, "A *.kspec.yaml file")->required()->check(CLI::ExistingFile);
    launcher->add_option("--role", options->role, "candidate (kf_launch), reference or baseline")
        ->check(CLI::IsMember({"candidate", "reference", "baseline"}))
        ->capture_default_str();
    launcher->callback([options, &exit_code] { exit_code = runLauncher(*options); });
}

} // namespace kf::cli
