// SPDX-License-Identifier: MIT
// The export loads with Hugging Face `datasets` (load_dataset("json", ...) and through the card's configs),
// and sft rows have TRL's conversational shape. The test sets up a venv once, cached in the build tree.

#include "dataset/dataset_export.h"
#include "support/export_fixture.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iostream>
#include <string>

namespace kf::dataset {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDatasetsPin = "datasets==3.6.0";

// Runs `cmd` through the shell; its output goes to `log`. Returns the exit status.
int shell(const std::string& cmd, const std::string& log) {
    const auto full = "(" + cmd + ") >" + log + " 2>&1";
    const int rc = std::system(full.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

int64_t lines(const std::string& path) {
    std::ifstream in(path);
    int64_t n = 0;
    std::string line;
    while (std::getline(in, line)) {
        ++n;
    }
    return n;
}

TEST(HfLoad, AllConfigsLoadWithDatasets) {
    const auto dir = testing::scratchDir("hf_load");
    const auto log = dir + "/setup.log";
    if (shell("python3 --version", log) != 0) {
        GTEST_SKIP() << "python3 is not available";
    }
    const fs::path venv = fs::path(KF_BINARY_DIR) / "pyenv";
    const auto marker = venv / (std::string(".installed-") + kDatasetsPin);
    const auto python = (venv / "bin" / "python").string();
    if (!fs::exists(marker)) {
        if (!fs::exists(python) && shell("python3 -m venv '" + venv.string() + "'", log) != 0) {
            GTEST_SKIP() << "python3 -m venv failed (python3-venv missing?): " << readFile(log);
        }
        if (shell("'" + python + "' -m pip install -q --disable-pip-version-check '" + kDatasetsPin + "'",
                  log) != 0) {
            GTEST_SKIP() << "pip install " << kDatasetsPin
                         << " failed (no network to PyPI?): " << readFile(log);
        }
        std::ofstream(marker.string()) << kDatasetsPin << "\n";
    }

    auto store = Store::open(dir + "/kf.db");
    testing::fillStore(store);
    ExportOptions o;
    o.out_dir = dir + "/export";
    o.validation_fraction = 0.25;
    exportDataset(store, o);

    std::string args;
    for (const auto* config : {"sft", "full", "preference"}) {
        for (const auto* split : {"train", "validation"}) {
            const auto n = lines(o.out_dir + "/data/" + config + "/" + split + "-00000.jsonl");
            ASSERT_GT(n, 0) << config << "/" << split << " is empty: the fixture should fill both splits";
            args += std::string(" ") + config + "/" + split + "=" + std::to_string(n);
        }
    }
    const auto out = dir + "/load.log";
    const auto cmd = "HF_DATASETS_CACHE='" + dir + "/hf-cache' HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 '" +
                     python + "' '" + KF_SOURCE_DIR + "/tests/dataset/load_export.py' '" + o.out_dir + "'" +
                     args;
    const int rc = shell(cmd, out);
    const auto text = readFile(out);
    std::cout << text.substr(text.size() > 2000 ? text.size() - 2000 : 0);
    ASSERT_EQ(rc, 0) << text;
    EXPECT_NE(text.find("\nok\n"), std::string::npos);
}

} // namespace
} // namespace kf::dataset
