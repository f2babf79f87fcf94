// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace kf::runner {

// What the sandbox shows kf-runner beyond the read-only system (/usr, /etc, /lib*, /bin, /sbin, /opt, /sys),
// the devices (/dev: the GPU nodes), a fresh /proc and an empty /tmp. Generated host code runs inside
// kf-runner, so nothing else is visible: no network, no home directory, no keys.
struct SandboxOptions {
    std::string bwrap = "bwrap";             // the bubblewrap executable
    std::vector<std::string> writable_paths; // bound read-write (the compile cache); missing ones are skipped
    std::vector<std::string> readonly_paths; // bound read-only (the runner's directory, the CUDA toolkit)
    std::string user_home;                   // hidden under an empty tmpfs ("" or "/": nothing to hide)
    std::string private_home;                // an empty tmpfs here, for the runner's HOME ("": none)
};

// bwrap's argv followed by `--` and argv. Paths are taken as given (absolute); read-only and writable paths
// that do not exist, or that a system directory already shows, are left out, so the argv reflects this host.
std::vector<std::string> sandboxedArgv(const SandboxOptions& options, const std::vector<std::string>& argv);

// True when bwrap is on PATH and can build the sandbox sandboxedArgv asks for (containers often forbid the
// namespaces it needs). Probed once per process; *why says what failed when it returns false.
bool sandboxAvailable(std::string* why = nullptr);

// The environment kf-runner gets: an allowlist of the host's variables (PATH, LANG, LC_*, TZ, the CUDA and
// NVIDIA device selection, LD_LIBRARY_PATH, XDG_CACHE_HOME, TMPDIR) and HOME set to privateHome(). Nothing
// else, so no API key or token reaches generated code.
std::vector<std::string> runnerEnvironment(const char* const* hostEnvironment);

// A directory private to this process (mode 0700 under $TMPDIR or /tmp), created on first use and removed
// when the process exits: the runner's HOME, where the CUDA driver may keep its JIT cache.
const std::string& privateHome();

} // namespace kf::runner
