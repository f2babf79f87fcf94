// SPDX-License-Identifier: MIT
#include "teacher/feedback.h"

#include <gtest/gtest.h>

using namespace kf::teacher;

TEST(Feedback, CompileErrorsQuoteTheirSourceLines) {
    RunFeedback run;
    run.compiled = false;
    run.diagnostics.push_back({3, 5, "error", "identifier \"blockIdy\" is undefined"});
    const auto text = renderFeedback(run, "#include <x>\n\n    int i = blockIdy.x;\n");
    EXPECT_NE(text.find("## Compilation failed"), std::string::npos) << text;
    EXPECT_NE(text.find("- line 3:5: error: identifier \"blockIdy\" is undefined\n  `int i = blockIdy.x;`"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("Fix the compilation errors."), std::string::npos);
}

TEST(Feedback, FailedChecksNameSizesAndErrors) {
    RunFeedback run;
    run.checks.push_back({"rows=4096, cols=8192", true, "", 0.0, 1e-7, 0, ""});
    run.checks.push_back({"rows=333, cols=77", false, "unwritten outputs", -1.0, 1.0, 77,
                          "y[332, 76]: got NaN, expected 0.01"});
    const auto text = renderFeedback(run, "");
    EXPECT_NE(text.find("## Correctness: 1 of 2 checks failed"), std::string::npos) << text;
    EXPECT_NE(
        text.find(
            "- rows=333, cols=77: unwritten outputs, relative L2 error 1, 77 elements out of tolerance; "
            "worst y[332, 76]: got NaN, expected 0.01"),
        std::string::npos)
        << text;
    EXPECT_EQ(text.find("rows=4096, cols=8192:"), std::string::npos) << "passing checks are not listed";
}

TEST(Feedback, TimingsAgainstBaselineAndRoof) {
    RunFeedback run;
    run.checks.push_back({"n=1", true, "", 0, 0, 0, ""});
    run.timings.push_back({"rows=4096, cols=8192", 50.0, 100.0, 81.4, "DRAM"});
    const auto text = renderFeedback(run, "");
    EXPECT_NE(text.find("| rows=4096, cols=8192 | 50.00 | 100.00 | 2.00x | 81% DRAM |"), std::string::npos)
        << text;
    EXPECT_NE(text.find("It is correct. Make it faster"), std::string::npos);
}
