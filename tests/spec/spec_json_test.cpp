// SPDX-License-Identifier: MIT
#include "spec/launcher.h"
#include "spec/spec_json.h"
#include "spec/spec_loader.h"
#include "test_specs.h"

#include <gtest/gtest.h>

namespace {

using namespace kf::spec;

Spec validSpec() {
    auto loaded = loadSpecText(kValidSpec, "s.kspec.yaml");
    EXPECT_TRUE(loaded.ok);
    return loaded.spec;
}

TEST(SpecJson, RoundTripIsLossless) {
    const Spec spec = validSpec();
    const auto j = specToJson(spec);
    const Spec back = specFromJson(nlohmann::json::parse(j.dump()));
    EXPECT_EQ(back, spec);
    EXPECT_EQ(specToJson(back).dump(), j.dump());
}

TEST(SpecJson, CarriesEvaluatedSizesAndTheLauncher) {
    const auto j = specToJson(validSpec());
    EXPECT_EQ(j["format"], "kernelforge.spec/1");
    EXPECT_EQ(j["sizes"][1]["params"]["cols"], 1000003);
    EXPECT_EQ(j["sizes"][0]["shapes"]["y"], nlohmann::json::array({4096, 8192}));
    EXPECT_DOUBLE_EQ(j["sizes"][0]["bytes"].get<double>(), 8.0 * 4096 * 8192);
    EXPECT_EQ(j["baseline"]["kind"], "reference");
    EXPECT_EQ(j["launcher"]["prototype"],
              "extern \"C\" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream);");
    std::vector<std::string> keys;
    for (const auto& [k, v] : j.items()) {
        keys.push_back(k);
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"format", "id", "title", "description", "category", "tags", "params",
                                              "inputs", "outputs", "flops", "bytes", "tolerance", "sizes", "reference",
                                              "baseline", "links", "rules", "launcher"}));
}

TEST(SpecJson, StructuralErrorsNameTheirPath) {
    auto j = nlohmann::json::parse(specToJson(validSpec()).dump());
    j["sizes"][1]["shapes"]["x"] = {1};
    try {
        (void)specFromJson(j);
        FAIL() << "expected SpecJsonError";
    } catch (const SpecJsonError& e) {
        EXPECT_STREQ(e.what(), "sizes[1].shapes.x: expected 2 dims");
    }
    j = nlohmann::json::parse(specToJson(validSpec()).dump());
    j["inputs"][0]["dtype"] = "f33";
    EXPECT_THROW((void)specFromJson(j), SpecJsonError);
    j = nlohmann::json::parse(specToJson(validSpec()).dump());
    j.erase("reference");
    try {
        (void)specFromJson(j);
        FAIL() << "expected SpecJsonError";
    } catch (const SpecJsonError& e) {
        EXPECT_STREQ(e.what(), "reference: missing");
    }
    EXPECT_THROW((void)specFromJson(nlohmann::json::array()), SpecJsonError);
}

TEST(Launcher, PrototypeFollowsTheAbi) {
    const Spec spec = validSpec();
    EXPECT_EQ(launcherArgs(spec), "const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream");
    EXPECT_EQ(launcherPrototype(spec, Role::Reference),
              "extern \"C\" void kf_reference(const float* x, float* y, int64_t rows, int64_t cols, "
              "cudaStream_t stream);");
}

TEST(Launcher, TranslationUnitDeclaresThenMapsLinesToTheUsersFile) {
    const Spec spec = validSpec();
    const auto tu = translationUnit(spec, Role::Candidate, "__global__ void k() {}", "my \"kernel\".cu");
    EXPECT_EQ(tu, std::string(translationUnitPrelude()) + launcherPrototype(spec) +
                      "\n#line 1 \"my \\\"kernel\\\".cu\"\n__global__ void k() {}\n");
}

} // namespace
