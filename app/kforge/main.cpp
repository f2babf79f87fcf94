// SPDX-License-Identifier: MIT
#include "ask_command.h"
#include "dataset_command.h"
#include "runner_commands.h"
#include "spec_command.h"

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#ifndef KF_VERSION
#define KF_VERSION "unknown"
#endif

int main(int argc, char** argv) {
    // A closed pipe (kforge ... | head) becomes a write error we report, not a silent death by SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);

    CLI::App app{"kforge: write kernel specs, check and time kernels, build datasets (headless KernelForge)",
                 "kforge"};
    app.set_version_flag("--version", std::string("kforge ") + KF_VERSION);
    app.require_subcommand(1);
    int exit_code = 0;
    kf::cli::addSpecCommands(app, exit_code);
    kf::cli::addAskCommand(app, exit_code);
    kf::cli::addDatasetCommands(app, exit_code);
    kf::cli::addRunnerCommands(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    }
    return exit_code;
}
