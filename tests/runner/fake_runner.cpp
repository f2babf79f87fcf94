// SPDX-License-Identifier: MIT
// A stand-in for kf-runner that misbehaves on request, for the RunnerClient tests. It reads the job from
// stdin and does what the job's "fake_mode" says; called as fake_runner-ignore-stdin it never reads stdin at
// all.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/types.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace {

using nlohmann::json;

void emit(const json& event) {
    std::cout << event.dump() << '\n' << std::flush;
}

void stage(const char* name, double deadline, int sizeIndex = -1) {
    json e{{"event", "stage"}, {"stage", name}, {"deadline_s", deadline}};
    if (sizeIndex >= 0) {
        e["size_index"] = sizeIndex;
    }
    emit(e);
}

void done(const char* verdict = "pass") {
    emit({{"event", "done"}, {"verdict", verdict}, {"speedup", 1.5}, {"reasons", json::array()}});
}

[[noreturn]] void sleepForever() {
    for (;;) {
        ::pause();
    }
}

} // namespace

int main(int argc, char** argv) {
    const std::string self = argc > 0 ? argv[0] : "";
    const bool ignoreStdin = self.size() >= 13 && self.compare(self.size() - 13, 13, "-ignore-stdin") == 0;
    json job;
    if (!ignoreStdin) {
        const std::string input{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
        job = json::parse(input);
    }
    const std::string mode = ignoreStdin ? "ignore-stdin" : job.value("fake_mode", "normal");
    if (mode == "silent") {
        return 0; // before writing anything at all
    }
    emit({{"event", "hello"},
          {"runner_version", "fake"},
          {"job_kind", job.is_object() ? job.value("kind", "") : ""},
          {"job_bytes", job.is_object() ? job.dump().size() : 0}});

    if (mode == "normal") {
        stage("compile", 10);
        emit({{"event", "compiled"}, {"role", "candidate"}, {"ok", true}});
        stage("check", 10, 0);
        emit({{"event", "checked"}, {"size_index", 0}, {"ok", true}});
        done();
    } else if (mode == "segv") {
        stage("check", 10, 1);
        std::cerr << "fake: loading the candidate\nfake: about to crash\n" << std::flush;
        std::signal(SIGSEGV, SIG_DFL); // a sanitizer's handler would turn the signal into exit(1)
        std::raise(SIGSEGV);
    } else if (mode == "hang") {
        // A helper that must die with the runner: its pid goes out in an event first, and its command line
        // carries the job's token so that it can be found from outside a pid namespace too.
        const std::string script = "sleep 1000; : " + job.value("token", std::string("kf-fake-helper"));
        const pid_t helper = ::fork();
        if (helper == 0) {
            ::execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        emit({{"event", "helper"}, {"pid", helper}});
        stage("check", 1, 2);
        emit({{"event", "checked"}, {"size_index", 2}, {"ok", true}}); // does not extend the deadline
        sleepForever();
    } else if (mode == "slow-stages") {
        // Each stage finishes within its own deadline; together they outlast any one of them.
        for (int i = 0; i < 4; ++i) {
            stage("time", 1, i);
            std::this_thread::sleep_for(std::chrono::milliseconds(600));
        }
        done();
    } else if (mode == "garbage") {
        std::cout << "Segmentation fault? no: a stray printf from host code\n" << std::flush;
        sleepForever();
    } else if (mode == "partial") {
        std::cout << R"({"event":"checked","ok":tr)" << std::flush;
        return 0;
    } else if (mode == "exit3") {
        stage("compile", 10);
        emit({{"event", "compiled"}, {"role", "candidate"}, {"ok", false}});
        std::cerr << "fake: giving up\n";
        return 3;
    } else if (mode == "huge") {
        emit({{"event", "compiled"}, {"ok", true}, {"log", std::string(1u << 20, 'L')}});
        done();
    } else if (mode == "stderr-flood") {
        const std::string line(1000, 'e');
        for (int i = 0; i < 10000; ++i) {
            std::cerr << line << '\n';
            if (i % 1000 == 0) {
                emit({{"event", "checked"}, {"i", i}});
            }
        }
        std::cerr << "fake: last words\n" << std::flush;
        done();
    } else if (mode == "no-stage") {
        sleepForever();
    } else if (mode == "wait") {
        stage("check", 100, 0);
        sleepForever();
    } else if (mode == "ignore-stdin") {
        done();
    } else if (mode == "env") {
        json vars = json::array();
        for (char** e = environ; *e != nullptr; ++e) {
            vars.push_back(*e);
        }
        emit({{"event", "env"}, {"vars", vars}});
        done();
    } else if (mode == "done-then-fail") {
        done();
        return 2;
    } else if (mode == "after-done") {
        done();
        emit({{"event", "checked"}, {"ok", true}});
    } else if (mode == "runner-error") {
        stage("load", 10);
        emit({{"event", "error"}, {"stage", "load"}, {"message", "cannot load the candidate"}});
        done("error");
    }
    return 0;
}
