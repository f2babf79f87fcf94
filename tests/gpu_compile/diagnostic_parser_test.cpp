// SPDX-License-Identifier: MIT
#include "fixtures.h"
#include "gpu/compile/diagnostic_parser.h"

#include <gtest/gtest.h>

namespace kf::gpu::compile {
namespace {

using test::fixture;
using test::lineOf;

std::vector<Diagnostic> parseFixture(const std::string& name) {
    const auto f = fixture(name);
    return parseDiagnostics(f.log, f.sources);
}

// The column of `token`'s first occurrence in line `line` of the case's source: where the user sees it.
int columnIn(const std::string& name, int line, const std::string& token) {
    const auto text = lineOf(test::readFixture(name + ".cu"), line);
    const auto at = text.find(token);
    EXPECT_NE(at, std::string::npos) << token << " not in line " << line << " of " << name;
    return static_cast<int>(at) + 1;
}

TEST(DiagnosticParser, UndefinedIdentifierPointsAtTheIdentifierInTheUsersFile) {
    const auto d = parseFixture("undefined_identifier");
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0],
              (Diagnostic{"undefined_identifier.cu", 3, 23, "error", "identifier \"foo\" is undefined"}));
    EXPECT_EQ(d[0].col, columnIn("undefined_identifier", 3, "foo"));
}

TEST(DiagnosticParser, SyntaxErrorIsReportedWhereTheFrontEndNoticedIt) {
    const auto d = parseFixture("syntax_error");
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0], (Diagnostic{"syntax_error.cu", 3, 5, "error", "expected a \";\""}));
}

TEST(DiagnosticParser, LauncherSignatureMismatchNamesTheUsersDefinition) {
    const auto d = parseFixture("launcher_signature");
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].file, "launcher_signature.cu");
    EXPECT_EQ(d[0].line, 6);
    EXPECT_EQ(d[0].col, columnIn("launcher_signature", 6, "kf_launch"));
    EXPECT_EQ(d[0].message, "more than one instance of overloaded function \"kf_launch\" has \"C\" linkage");
}

TEST(DiagnosticParser, TemplateInstantiationContextIsFoldedIntoTheMessage) {
    const auto d = parseFixture("template_instantiation");
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].line, 3);
    EXPECT_EQ(d[0].col, columnIn("template_instantiation", 3, "v.twice"));
    EXPECT_EQ(d[0].message,
              "expression must have class type but it has type \"float\"\n"
              "detected during:\n"
              "instantiation of \"T twice(T) [with T=float]\" at line 9\n"
              "instantiation of \"void k<N>(const float *, float *, int64_t) [with N=4]\" at line 13");
}

TEST(DiagnosticParser, ArgumentListAndCandidateNotesOfAnOverloadError) {
    const auto d = parseFixture("overload_notes");
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[0], (Diagnostic{"overload_notes.cu", 6, columnIn("overload_notes", 6, "scale"), "error",
                                "no instance of overloaded function \"scale\" matches the argument list\n"
                                "argument types are: (const float, int)"}));
    // The front end prints `__device__` expanded to `__attribute__((device))`: the caret is still mapped.
    EXPECT_EQ(d[1].severity, "note");
    EXPECT_EQ(d[1].line, 2);
    EXPECT_EQ(d[1].col, columnIn("overload_notes", 2, "scale"));
    EXPECT_EQ(d[2].line, 1);
    EXPECT_EQ(d[2].col, columnIn("overload_notes", 1, "scale"));
    EXPECT_EQ(d[2].message,
              "function \"scale(float *, int)\" does not match because argument #1 does not match parameter");
}

TEST(DiagnosticParser, ColumnsSurviveTabsCommentsAndMacroExpansion) {
    const auto d = parseFixture("preprocessed_columns");
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[0].line, 3);
    EXPECT_EQ(d[0].col, columnIn("preprocessed_columns", 3, "not_declared_a"));
    EXPECT_EQ(d[1].line, 4);
    EXPECT_EQ(d[1].col, columnIn("preprocessed_columns", 4, "not_declared_b"));
    EXPECT_EQ(d[2].line, 5);
    EXPECT_EQ(d[2].col, columnIn("preprocessed_columns", 5, "not_declared_c")); // not the one in the comment
}

TEST(DiagnosticParser, FrontEndWarningWithoutItsNumberOrTheSuppressionRemark) {
    const auto d = parseFixture("unused_variable");
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0], (Diagnostic{"unused_variable.cu", 10, 9, "warning",
                                "variable \"unused\" was declared but never referenced"}));
}

TEST(DiagnosticParser, HostCompilerErrorKeepsItsLineAndFunctionButNotAColumnFromRegeneratedCode) {
    const auto d = parseFixture("host_asm_constraint");
    // gcc reports it twice, at columns 47 and 1 of nvcc's regenerated host code: one message, no column.
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0],
              (Diagnostic{"host_asm_constraint.cu", 8, 0, "error",
                          "input operand constraint contains '&'\nIn function 'int host_helper(int)'"}));
}

TEST(DiagnosticParser, PreprocessorErrorFromTheHostCompilerKeepsItsColumn) {
    const auto d = parseFixture("missing_include");
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0],
              (Diagnostic{"missing_include.cu", 1, 10, "error", "nonexistent.h: No such file or directory"}));
}

TEST(DiagnosticParser, PtxasSharedMemoryOverflowIsAnErrorWithTheKernelDemangled) {
    const auto d = parseFixture("shared_memory_overflow");
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0], (Diagnostic{"ptxas", 0, 0, "error",
                                "Entry function 'big(float const*, float*, long)' uses too much shared data "
                                "(0x445c0 bytes, 0x38c00 max)"}));
}

TEST(DiagnosticParser, PtxasSpillWarning) {
    const auto d = parseFixture("register_spills");
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0],
              (Diagnostic{"ptxas", 0, 0, "warning",
                          "Registers are spilled to local memory in function 'void heavy<48>(float const*, "
                          "float*, int)', 6940 bytes spill stores, 8128 bytes spill loads"}));
}

TEST(DiagnosticParser, PtxasFatalUnresolvedDeviceFunction) {
    const auto d = parseFixture("unresolved_device_function");
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0], (Diagnostic{"ptxas", 0, 0, "error", "Unresolved extern function 'missing_fn(float)'"}));
}

TEST(DiagnosticParser, NvlinkUndefinedReference) {
    const auto d = parseFixture("device_link_undefined");
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].file, "nvlink");
    EXPECT_EQ(d[0].severity, "error");
    EXPECT_TRUE(d[0].message.starts_with("Undefined reference to 'missing_fn(float)' in '")) << d[0].message;
}

TEST(DiagnosticParser, HostLinkerUndefinedReferenceWithItsFunction) {
    const auto d = parseFixture("undefined_host_symbol");
    ASSERT_EQ(d.size(), 1u); // collect2's summary adds nothing
    EXPECT_EQ(d[0], (Diagnostic{"ld", 0, 0, "error",
                                "undefined reference to `host_missing()' (in function `kf_launch')"}));
}

TEST(DiagnosticParser, CleanCompilesHaveNoDiagnostics) {
    EXPECT_TRUE(parseFixture("softmax_gold").empty());
    EXPECT_TRUE(parseDiagnostics("").empty());
}

TEST(DiagnosticParser, WithoutTheSourceTheCaretOffsetIsTheColumn) {
    const auto f = fixture("preprocessed_columns");
    const auto d = parseDiagnostics(f.log);
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[1].col, 14); // "    y[0] = ((not_declared_b) ..." as printed, without EDG's two-space indent
}

// The following inputs are written by hand in the formats the recorded fixtures show, for message kinds that
// are hard to provoke on purpose.
TEST(DiagnosticParser, FrontEndSeveritiesMapToErrorWarningNote) {
    const std::string log = "a.cu(1): catastrophic error: cannot open source file \"x.h\"\n"
                            "  #include \"x.h\"\n"
                            "           ^\n"
                            "\n"
                            "a.cu(2): remark #1234-D: something to know\n"
                            "\n"
                            "a.cu(3): internal error: assertion failed\n";
    const auto d = parseDiagnostics(log);
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[0], (Diagnostic{"a.cu", 1, 10, "error", "cannot open source file \"x.h\""}));
    EXPECT_EQ(d[1], (Diagnostic{"a.cu", 2, 0, "note", "something to know"}));
    EXPECT_EQ(d[2].severity, "error");
}

TEST(DiagnosticParser, GccRequiredFromLinesAndIncludeContext) {
    const std::string log = "In file included from a.cu:2:\n"
                            "b.h: In instantiation of 'void f(T) [with T = int]':\n"
                            "a.cu:7:6:   required from here\n"
                            "b.h:3:10: error: 'x' was not declared in this scope\n"
                            "a.cu:9:1: warning: no return statement\n"
                            "a.cu:9: note: see this\n";
    const auto d = parseDiagnostics(log);
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[0].file, "b.h");
    EXPECT_EQ(d[0].line, 3);
    EXPECT_EQ(d[0].col, 10); // no source known: gcc's column stands
    EXPECT_EQ(
        d[0].message,
        "'x' was not declared in this scope\nincluded from a.cu:2\nIn instantiation of 'void f(T) [with T = "
        "int]'\na.cu:7: required from here");
    EXPECT_EQ(d[1].severity, "warning");
    EXPECT_EQ(d[2], (Diagnostic{"a.cu", 9, 0, "note", "see this"}));
}

TEST(DiagnosticParser, NvccOwnErrorsAndDuplicates) {
    const auto d = parseDiagnostics("nvcc fatal   : Unsupported gpu architecture 'compute_99'\n"
                                    "nvcc fatal   : Unsupported gpu architecture 'compute_99'\n");
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0], (Diagnostic{"nvcc", 0, 0, "error", "Unsupported gpu architecture 'compute_99'"}));
}

TEST(DiagnosticParser, FormatsAsEditorsReadIt) {
    EXPECT_EQ(formatDiagnostic({"a.cu", 3, 5, "error", "bad"}), "a.cu:3:5: error: bad");
    EXPECT_EQ(formatDiagnostic({"a.cu", 3, 0, "warning", "w"}), "a.cu:3: warning: w");
    EXPECT_EQ(formatDiagnostic({"ptxas", 0, 0, "error", "too much"}), "ptxas: error: too much");
}

} // namespace
} // namespace kf::gpu::compile
