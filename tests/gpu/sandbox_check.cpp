// SPDX-License-Identifier: MIT
// Runs one kf-runner job through RunnerClient with the sandbox required (bubblewrap), as kforge run does on a
// GPU workstation, and prints the events' verdicts: proves the GPU is usable inside the sandbox. Built on the
// GPU machine with g++ alone (tests/gpu/sandbox-check.sh), since kforge needs libraries that machine lacks.
//
//   sandbox_check KF_RUNNER JOB.json [CACHE_DIR]
#include "runner/runner_client.h"

#include <cstdio>
#include <fstream>
#include <sstream>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: sandbox_check KF_RUNNER JOB.json [CACHE_DIR]\n");
        return 2;
    }
    std::ifstream in(argv[2]);
    std::stringstream ss;
    ss << in.rdbuf();
    auto job = nlohmann::json::parse(ss.str(), nullptr, false);
    if (job.is_discarded()) {
        std::fprintf(stderr, "sandbox_check: %s is not JSON\n", argv[2]);
        return 2;
    }
    kf::runner::RunnerClientOptions options;
    options.runner = argv[1];
    options.sandbox = kf::runner::RunnerClientOptions::Sandbox::Required;
    if (argc > 3) {
        options.writable_paths.push_back(argv[3]);
        job["options"]["cache_dir"] = argv[3];
    }
    kf::runner::RunnerClient client(options);
    std::string command;
    for (const auto& a : client.commandLine()) {
        command += a + " ";
    }
    std::printf("command: %s\n", command.c_str());
    const auto done = client.run(job, [](const nlohmann::json& ev) {
        const std::string kind = ev.value("event", "");
        if (kind == "hello") {
            std::printf("hello: device %s\n",
                        ev["device"].is_null() ? "none" : ev["device"].value("name", "?").c_str());
        } else if (kind == "error") {
            std::printf("error (%s): %s\n", ev.value("stage", "").c_str(), ev.value("message", "").c_str());
        } else if (kind == "timed" && ev.value("who", "") == "candidate") {
            std::printf("timed size %d: %.2f us (%s)\n", ev.value("size_index", -1),
                        ev.value("median_us", 0.0), ev.value("timer", "").c_str());
        }
    });
    std::printf("sandboxed: %s, verdict: %s\n", client.sandboxed() ? "yes" : "no",
                done.value("verdict", "").c_str());
    return client.sandboxed() && done.value("verdict", "") == "pass" ? 0 : 1;
}
