// SPDX-License-Identifier: MIT
// Every broken spec must produce exactly the listed diagnostics, at the listed line and column.
#include "spec/spec_loader.h"
#include "test_specs.h"

#include <gtest/gtest.h>

namespace {

using kf::spec::loadSpecText;

std::string replaced(const std::string& from, const std::string& to) {
    std::string text = kValidSpec;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << "test bug: '" << from << "' is not in the valid spec";
    if (at != std::string::npos) {
        text.replace(at, from.size(), to);
    }
    return text;
}

std::string replacedAll(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

std::vector<std::string> diagnosticsOf(const std::string& text) {
    std::vector<std::string> out;
    for (const auto& d : loadSpecText(text, "s.kspec.yaml").diagnostics) {
        out.push_back(kf::spec::formatDiagnostic(d));
    }
    return out;
}

struct BrokenSpec {
    const char* name;
    std::string text;
    std::vector<std::string> expected;
};

class BrokenSpecs : public ::testing::TestWithParam<BrokenSpec> {};

TEST_P(BrokenSpecs, ReportsEveryProblemAtItsPosition) {
    const auto& c = GetParam();
    EXPECT_EQ(diagnosticsOf(c.text), c.expected);
}

const std::string kPrefix = "s.kspec.yaml:";

INSTANTIATE_TEST_SUITE_P(
    Spec, BrokenSpecs,
    ::testing::Values(
        BrokenSpec{"UnknownKeyWithSuggestion",
                   replaced("title:", "titel:"),
                   {kPrefix + "2:1: error: unknown key 'titel'; did you mean 'title'?",
                    kPrefix + "1:1: error: missing required key 'title'"}},
        BrokenSpec{"UnknownKeyWithoutSuggestion",
                   std::string(kValidSpec) + "colour: blue\n",
                   {kPrefix + "18:1: error: unknown key 'colour'"}},
        BrokenSpec{"MissingRequiredKey",
                   replaced("flops: 5 * rows * cols\n", ""),
                   {kPrefix + "1:1: error: missing required key 'flops'"}},
        BrokenSpec{"DuplicateKey",
                   std::string(kValidSpec) + "id: again\n",
                   {kPrefix + "18:1: error: duplicate key 'id' (first given at line 1)"}},
        BrokenSpec{"UnknownDType",
                   replaced("dtype: f32, shape: [rows, cols], init", "dtype: fp32, shape: [rows, cols], init"),
                   {kPrefix + "7:22: error: unknown dtype 'fp32'; did you mean 'f32'? (one of f64, f32, f16, bf16, "
                              "i64, i32, i8, u8)"}},
        BrokenSpec{"ShapeNamesUndefinedParam",
                   replaced("{name: y, dtype: f32, shape: [rows, cols]}", "{name: y, dtype: f32, shape: [rows, colz]}"),
                   {kPrefix + "9:41: error: 'outputs[0].shape[1]' names 'colz', which is not a param; did you mean "
                              "'cols'?"}},
        BrokenSpec{"FormulaNamesUnknownParam",
                   replaced("bytes: 4 * rows * cols * 2", "bytes: 4 * rowz * cols * 2"),
                   {kPrefix + "11:12: error: 'bytes' names 'rowz', which is not a param; did you mean 'rows'?"}},
        BrokenSpec{"FormulaDoesNotParse",
                   replaced("flops: 5 * rows * cols", "flops: 5 * * cols"),
                   {kPrefix + "10:12: error: 'flops' does not parse: Unexpected operator \"*\""}},
        BrokenSpec{"QuotedFormulaColumnsSkipTheQuote",
                   replaced("flops: 5 * rows * cols", "flops: \"5 * rows * colx\""),
                   {kPrefix + "10:20: error: 'flops' names 'colx', which is not a param; did you mean 'cols'?"}},
        BrokenSpec{"SizeMissesParam",
                   replaced("{rows: 1, cols: 1000003}", "{rows: 1}"),
                   {kPrefix + "15:5: error: 'sizes[1]' has no value for param 'cols'"}},
        BrokenSpec{"SizeNamesUnknownParam",
                   replaced("{rows: 1, cols: 1000003}", "{rows: 1, colz: 1000003}"),
                   {kPrefix + "15:15: error: unknown key 'sizes[1].colz'; did you mean 'cols'?",
                    kPrefix + "15:5: error: 'sizes[1]' has no value for param 'cols'"}},
        BrokenSpec{"SizeNotPositive",
                   replaced("{rows: 4096, cols: 8192}", "{rows: 4096, cols: 0}"),
                   {kPrefix + "14:24: error: 'sizes[0].cols' must be a positive integer, not '0'"}},
        BrokenSpec{"SizeNotAnInteger",
                   replaced("{rows: 4096, cols: 8192}", "{rows: 4096, cols: 8192.5}"),
                   {kPrefix + "14:24: error: 'sizes[0].cols' must be a positive integer, not '8192.5'"}},
        BrokenSpec{"DimsEvaluateNonPositive",
                   replaced("{name: y, dtype: f32, shape: [rows, cols]}", "{name: y, dtype: f32, shape: [rows, cols - 8192]}"),
                   {kPrefix + "14:5: error: at sizes[0], 'outputs[0].shape[1]' (cols - 8192) is 0; dims must be "
                              "positive integers"}},
        BrokenSpec{"ToleranceNegativeAndUnknownKey",
                   replaced("{rtol: 1.0e-5, atol: 1.0e-6}", "{rtol: -1, atl: 1.0e-6}"),
                   {kPrefix + "12:23: error: unknown key 'tolerance.atl'; did you mean 'atol'?",
                    kPrefix + "12:19: error: 'tolerance.rtol' must be >= 0"}},
        BrokenSpec{"ToleranceNotANumber",
                   replaced("{rtol: 1.0e-5, atol: 1.0e-6}", "{rtol: tight, atol: 1.0e-6}"),
                   {kPrefix + "12:19: error: 'tolerance.rtol' must be a number, not 'tight'"}},
        BrokenSpec{"EmptyReference",
                   replacedAll(kValidSpec, "reference: |\n  extern \"C\" void kf_reference(const float* x, float* y, "
                                           "int64_t rows, int64_t cols, cudaStream_t stream) {}\n",
                               "reference: \"\"\n"),
                   {kPrefix + "16:13: error: 'reference' is empty: give obviously-correct CUDA C++ that defines "
                              "kf_reference"}},
        BrokenSpec{"ReferenceWithoutEntryPoint",
                   replaced("void kf_reference(", "void my_reference("),
                   {kPrefix + "16:12: error: 'reference' does not define kf_reference; it must have the launcher "
                              "ABI: extern \"C\" void kf_reference(const float* x, float* y, int64_t rows, int64_t "
                              "cols, cudaStream_t stream);"}},
        BrokenSpec{"DuplicateNames",
                   replaced("{name: y,", "{name: x,"),
                   {kPrefix + "9:12: error: 'x' is already used by inputs[0].name; params and tensors need distinct "
                              "names"}},
        BrokenSpec{"ReservedName",
                   replacedAll(kValidSpec, "cols", "stream"),
                   {kPrefix + "5:16: error: 'stream' is reserved (the launcher uses 'stream'; 'kf_' and '__' "
                              "prefixes are taken)"}},
        BrokenSpec{"KeywordName",
                   replacedAll(kValidSpec, "{name: x,", "{name: float,"),
                   {kPrefix + "7:12: error: 'float' is a C/C++/CUDA keyword or built-in and cannot name a launcher "
                              "argument"}},
        BrokenSpec{"UnknownDistribution",
                   replaced("dist: normal", "dist: gauss"),
                   {kPrefix + "7:61: error: unknown distribution 'gauss' (one of normal, uniform)"}},
        BrokenSpec{"OutputWithInit",
                   replaced("{name: y, dtype: f32, shape: [rows, cols]}",
                            "{name: y, dtype: f32, shape: [rows, cols], init: {std: 1}}"),
                   {kPrefix + "9:54: error: 'outputs[0].init': outputs have no init (the harness poisons them before "
                              "each run)"}},
        BrokenSpec{"BytesDisagreeWithFootprint",
                   replaced("bytes: 4 * rows * cols * 2", "bytes: 4 * rows * cols"),
                   {kPrefix + "11:8: warning: 'bytes' gives 134217728 at sizes[0], but reading every input once "
                              "and writing every output once moves 268435456 bytes"}},
        BrokenSpec{"UnknownLibrary",
                   std::string(kValidSpec) + "links: [cublass]\n",
                   {kPrefix + "18:9: error: unknown library 'cublass'; did you mean 'cublas'? (one of cublas, "
                              "cublasLt)"}},
        BrokenSpec{"BadId",
                   replaced("id: softmax-rows-f32", "id: Softmax Rows"),
                   {kPrefix + "1:5: error: 'id' must be lowercase letters, digits, '.', '_' or '-', at most 64 "
                              "characters, starting with a letter or digit; got 'Softmax Rows'"}},
        BrokenSpec{"WrongType",
                   replaced("title: Row-wise softmax, fp32", "title: [a, b]"),
                   {kPrefix + "2:8: error: 'title' must be a string, not a list"}},
        BrokenSpec{"NotAMapping", "just a sentence\n",
                   {kPrefix + "1:1: error: a spec is a YAML mapping (id, title, params, inputs, ...), not 'just a "
                              "sentence'"}},
        BrokenSpec{"YamlSyntax",
                   replaced("params: [rows, cols]", "params: [rows, cols"),
                   {kPrefix + "6:7: error: YAML syntax: end of sequence flow not found"}},
        BrokenSpec{"SeveralProblemsAllReported",
                   replaced("bytes: 4 * rows * cols * 2\ntolerance: {rtol: 1.0e-5, atol: 1.0e-6}",
                            "bytes: 4 * rows * cols * 2 +\ntolerance: {rtol: 1.0e-5, atol: 1.0e-6, x: 1}"),
                   {kPrefix + "12:41: error: unknown key 'tolerance.x'",
                    kPrefix + "11:29: error: 'bytes' does not parse: Unexpected end of expression"}}),
    [](const ::testing::TestParamInfo<BrokenSpec>& p) { return std::string(p.param.name); });

TEST(Spec, ValidSpecLoadsWithoutDiagnostics) {
    const auto loaded = loadSpecText(kValidSpec, "s.kspec.yaml");
    EXPECT_TRUE(loaded.ok);
    EXPECT_TRUE(loaded.diagnostics.empty()) << kf::spec::formatDiagnostic(loaded.diagnostics.front());
    const auto& spec = loaded.spec;
    EXPECT_EQ(spec.id, "softmax-rows-f32");
    ASSERT_EQ(spec.sizes.size(), 2u);
    EXPECT_EQ(spec.sizes[1].values, (std::vector<int64_t>{1, 1000003}));
    EXPECT_DOUBLE_EQ(spec.sizes[0].flops, 5.0 * 4096 * 8192);
    EXPECT_DOUBLE_EQ(spec.sizes[0].bytes, 8.0 * 4096 * 8192);
    EXPECT_EQ(spec.sizes[1].dims, (std::vector<std::vector<int64_t>>{{1, 1000003}, {1, 1000003}}));
    EXPECT_DOUBLE_EQ(spec.tolerance.rtol, 1e-5);
    EXPECT_DOUBLE_EQ(spec.tolerance.atol, 1e-6);
    EXPECT_DOUBLE_EQ(spec.tolerance.rel_l2, 1e-5); // f32 default, not overridden
    EXPECT_EQ(spec.inputs[0].init.kind, kf::spec::InitDist::Kind::Normal);
    EXPECT_DOUBLE_EQ(spec.inputs[0].init.b, 3.0);
    EXPECT_TRUE(spec.baseline.is_reference);
}

TEST(Spec, ToleranceDefaultsFollowTheLeastPreciseOutput) {
    auto text = replacedAll(kValidSpec, "{name: y, dtype: f32", "{name: y, dtype: bf16");
    text = replaced("tolerance: {rtol: 1.0e-5, atol: 1.0e-6}\n", "");
    text = replacedAll(text, "{name: y, dtype: f32", "{name: y, dtype: bf16");
    text = replacedAll(text, "bytes: 4 * rows * cols * 2", "bytes: 6 * rows * cols");
    text = replacedAll(text, "float* y", "__nv_bfloat16* y");
    const auto loaded = loadSpecText(text, "s.kspec.yaml");
    ASSERT_TRUE(loaded.ok);
    EXPECT_TRUE(loaded.diagnostics.empty());
    EXPECT_DOUBLE_EQ(loaded.spec.tolerance.rel_l2, 1e-2);
    EXPECT_DOUBLE_EQ(loaded.spec.tolerance.rtol, 1e-2);
}

TEST(Spec, IntegerInputsGetUniformDefaults) {
    auto text = replaced("{name: x, dtype: f32, shape: [rows, cols], init: {dist: normal, std: 3.0}}",
                         "{name: x, dtype: i32, shape: [rows, cols]}");
    const auto loaded = loadSpecText(text, "s.kspec.yaml");
    ASSERT_TRUE(loaded.ok);
    EXPECT_EQ(loaded.spec.inputs[0].init.kind, kf::spec::InitDist::Kind::Uniform);
    EXPECT_DOUBLE_EQ(loaded.spec.inputs[0].init.a, -100.0);
    const auto normal_int = loadSpecText(replaced("dtype: f32, shape: [rows, cols], init", "dtype: i32, shape: "
                                                                                           "[rows, cols], init"),
                                         "s.kspec.yaml");
    EXPECT_FALSE(normal_int.ok);
}

TEST(Spec, BaselineSourceMustDefineItsEntryPoint) {
    const auto text = std::string(kValidSpec) + "baseline: |\n  extern \"C\" void kf_baseline(const float* x, float* y, "
                                                "int64_t rows, int64_t cols, cudaStream_t s) { cublasCreate(0); }\n";
    const auto loaded = loadSpecText(text, "s.kspec.yaml");
    EXPECT_TRUE(loaded.ok);
    EXPECT_FALSE(loaded.spec.baseline.is_reference);
    ASSERT_EQ(loaded.diagnostics.size(), 1u);
    EXPECT_EQ(kf::spec::formatDiagnostic(loaded.diagnostics[0]),
              kPrefix + "18:11: warning: the reference or baseline calls cuBLAS but 'links' does not list cublas");
}

TEST(Spec, UnreadableFileIsOneDiagnostic) {
    const auto loaded = kf::spec::loadSpecFile("/nonexistent/x.kspec.yaml");
    EXPECT_FALSE(loaded.ok);
    ASSERT_EQ(loaded.diagnostics.size(), 1u);
    EXPECT_EQ(kf::spec::formatDiagnostic(loaded.diagnostics[0]),
              "/nonexistent/x.kspec.yaml: error: cannot open: No such file or directory");
}

} // namespace
