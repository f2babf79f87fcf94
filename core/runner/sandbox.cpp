// SPDX-License-Identifier: MIT
#include "sandbox.h"

#include "proc/command.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace kf::runner {

namespace {

namespace fs = std::filesystem;

// Shown read-only as on the host (symlinks such as /bin -> usr/bin are recreated as symlinks). /sys is
// among them because the CUDA driver and NVML read the GPU's PCI topology there.
constexpr const char* kSystemDirs[] = {"/usr",    "/etc", "/lib",  "/lib32", "/lib64",
                                       "/libx32", "/bin", "/sbin", "/opt",   "/sys"};

constexpr const char* kAllowedVariables[] = {"PATH",
                                             "LANG",
                                             "TZ",
                                             "CUDA_HOME",
                                             "CUDA_PATH",
                                             "CUDA_VISIBLE_DEVICES",
                                             "NVIDIA_VISIBLE_DEVICES",
                                             "LD_LIBRARY_PATH",
                                             "XDG_CACHE_HOME",
                                             "TMPDIR"};

// "/a/b/" -> "/a/b"; "" for a relative path (a sandbox bind needs an absolute one).
std::string absoluteNormal(const std::string& path) {
    if (path.empty() || path.front() != '/') {
        return {};
    }
    std::string p = fs::path(path).lexically_normal().string();
    while (p.size() > 1 && p.back() == '/') {
        p.pop_back();
    }
    return p;
}

// The canonical form of an absolute path that exists; "" otherwise.
std::string existingRealPath(const std::string& path) {
    if (absoluteNormal(path).empty()) {
        return {};
    }
    std::error_code ec;
    const fs::path real = fs::canonical(path, ec);
    return ec ? std::string() : real.string();
}

bool isUnder(const std::string& path, const std::string& dir) {
    return path == dir || dir == "/" ||
           (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/');
}

struct Bind {
    std::string flag; // --ro-bind or --bind
    std::string path;
};

void append(std::vector<std::string>& argv, std::initializer_list<std::string> items) {
    argv.insert(argv.end(), items.begin(), items.end());
}

struct Probe {
    bool ok = false;
    std::string why;
};

Probe probeSandbox() {
    proc::Command cmd;
    cmd.argv = sandboxedArgv(SandboxOptions{}, {"true"});
    cmd.timeout = std::chrono::seconds(10);
    const proc::CommandResult r = proc::runCommand(cmd);
    if (r.ok()) {
        return {true, {}};
    }
    std::string why = "bubblewrap cannot build the sandbox here: " + r.describe();
    std::string err = r.err;
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) {
        err.pop_back();
    }
    if (!err.empty()) {
        why += ": " + err.substr(err.rfind('\n') == std::string::npos ? 0 : err.rfind('\n') + 1);
    }
    return {false, why};
}

std::string g_privateHome;
pid_t g_privateHomeOwner = 0;

void removePrivateHome() {
    // A forked child that calls exit() must not remove its parent's directory.
    if (!g_privateHome.empty() && ::getpid() == g_privateHomeOwner) {
        std::error_code ec;
        fs::remove_all(g_privateHome, ec);
    }
}

} // namespace

std::vector<std::string> sandboxedArgv(const SandboxOptions& options, const std::vector<std::string>& argv) {
    std::vector<std::string> out{options.bwrap,       "--unshare-net", "--unshare-ipc",
                                 "--unshare-pid",     "--unshare-uts", "--unshare-cgroup-try",
                                 "--die-with-parent", "--new-session"};
    std::vector<std::string> shown;
    for (const char* dir : kSystemDirs) {
        struct stat st {};
        if (::lstat(dir, &st) != 0) {
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            std::error_code ec;
            const fs::path target = fs::read_symlink(dir, ec);
            if (!ec) {
                append(out, {"--symlink", target.string(), dir});
            }
        } else if (S_ISDIR(st.st_mode)) {
            append(out, {"--ro-bind", dir, dir});
            shown.emplace_back(dir);
        }
    }
    append(out, {"--dev-bind", "/dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"});

    // Binds use real paths: a symlink on the way (/usr/local/cuda -> cuda-13.0) then resolves inside the
    // sandbox as on the host. A read-only path a system directory already shows needs no bind of its own.
    std::vector<Bind> binds;
    for (const std::string& p : options.readonly_paths) {
        const std::string path = existingRealPath(p);
        const bool shownAlready = std::any_of(shown.begin(), shown.end(),
                                              [&](const std::string& dir) { return isUnder(path, dir); });
        if (!path.empty() && !shownAlready) {
            binds.push_back({"--ro-bind", path});
        }
    }
    for (const std::string& p : options.writable_paths) {
        const std::string path = existingRealPath(p);
        if (!path.empty()) {
            binds.push_back({"--bind", path});
        }
    }
    // Outer paths first, so that a bind inside another (the cache inside the runner's tree) stays visible.
    std::stable_sort(binds.begin(), binds.end(),
                     [](const Bind& a, const Bind& b) { return a.path.size() < b.path.size(); });

    // The user's home is hidden after any bind that contains it and before the binds inside it (the
    // compile cache under ~/.cache), so that only those show through.
    std::string home = existingRealPath(options.user_home);
    if (home.empty()) {
        home = absoluteNormal(options.user_home);
    }
    const bool hideHome = !home.empty() && home != "/";
    for (const Bind& b : binds) {
        if (hideHome && isUnder(home, b.path)) {
            append(out, {b.flag, b.path, b.path});
        }
    }
    if (hideHome) {
        append(out, {"--tmpfs", home});
    }
    for (const Bind& b : binds) {
        if (!hideHome || !isUnder(home, b.path)) {
            append(out, {b.flag, b.path, b.path});
        }
    }
    const std::string privateHome = absoluteNormal(options.private_home);
    if (!privateHome.empty() && privateHome != "/") {
        append(out, {"--tmpfs", privateHome});
    }
    // The host's TMPDIR is not in the sandbox; its /tmp is private.
    append(out, {"--setenv", "TMPDIR", "/tmp", "--chdir", "/tmp", "--"});
    out.insert(out.end(), argv.begin(), argv.end());
    return out;
}

bool sandboxAvailable(std::string* why) {
    static const Probe probe = probeSandbox();
    if (why != nullptr) {
        *why = probe.why;
    }
    return probe.ok;
}

std::vector<std::string> runnerEnvironment(const char* const* hostEnvironment) {
    std::vector<std::string> env;
    for (const char* const* e = hostEnvironment; e != nullptr && *e != nullptr; ++e) {
        const std::string_view entry(*e);
        const std::string_view name = entry.substr(0, entry.find('='));
        const bool allowed = name.rfind("LC_", 0) == 0 ||
                             std::find(std::begin(kAllowedVariables), std::end(kAllowedVariables), name) !=
                                 std::end(kAllowedVariables);
        if (allowed && name.size() < entry.size()) {
            env.emplace_back(entry);
        }
    }
    env.push_back("HOME=" + privateHome());
    return env;
}

const std::string& privateHome() {
    static const std::string home = [] {
        const char* tmp = std::getenv("TMPDIR");
        std::string base = tmp != nullptr && tmp[0] == '/' ? tmp : "/tmp";
        std::string pattern = base + "/kf-runner-home-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) {
            // No directory to offer: a HOME nobody can create files in is still better than the user's.
            return std::string("/nonexistent");
        }
        g_privateHome = pattern;
        g_privateHomeOwner = ::getpid();
        std::atexit(removePrivateHome);
        return pattern;
    }();
    return home;
}

} // namespace kf::runner
