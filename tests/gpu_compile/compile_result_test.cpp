// SPDX-License-Identifier: MIT
#include "gpu/compile/compile_result.h"

#include <cmath>
#include <gtest/gtest.h>

namespace kf::gpu::compile {
namespace {

CompileResult sample() {
    CompileResult r;
    r.ok = true;
    r.cached = true;
    r.seconds = 1.9;
    r.diagnostics = {{"softmax.cu", 12, 5, "warning", "variable \"t\" was declared but never referenced"}};
    r.log = "the log";
    r.kernels = {{"softmax_rows<256>", "void softmax_rows<256>(float const*, float*, long)",
                  "_Z12softmax_rowsILi256EEvPKfPfl", 32, 1, 1024, -1, 0, 0, 0}};
    r.so_path = "/tmp/x/candidate-0123.so";
    r.command = "nvcc -O3";
    return r;
}

TEST(CompiledEvent, HasTheShapeOfTheProtocol) {
    const auto e = compiledEvent(spec::Role::Candidate, sample());
    EXPECT_EQ(e.at("event"), "compiled");
    EXPECT_EQ(e.at("role"), "candidate");
    EXPECT_EQ(e.at("ok"), true);
    EXPECT_EQ(e.at("cached"), true);
    EXPECT_DOUBLE_EQ(e.at("seconds").get<double>(), 1.9);
    EXPECT_EQ(e.at("log"), "the log");
    EXPECT_EQ(e.at("diagnostics"), nlohmann::json::parse(R"([{"file":"softmax.cu","line":12,"col":5,
        "severity":"warning","message":"variable \"t\" was declared but never referenced"}])"));
    const auto& k = e.at("kernels").at(0);
    EXPECT_EQ(k.at("name"), "softmax_rows<256>");
    EXPECT_EQ(k.at("mangled"), "_Z12softmax_rowsILi256EEvPKfPfl");
    EXPECT_EQ(k.at("registers"), 32);
    EXPECT_EQ(k.at("smem_static"), 1024);
    EXPECT_EQ(k.at("stack"), 0);
    EXPECT_EQ(k.at("spill_stores"), 0);
    EXPECT_EQ(k.at("spill_loads"), 0);
    EXPECT_TRUE(k.at("cmem").is_null());
    EXPECT_FALSE(e.contains("notes"));
    EXPECT_FALSE(e.contains("so_path")); // a path on the GPU host means nothing to the client
}

TEST(CompiledEvent, RolesNotesAndNonFiniteSeconds) {
    auto r = sample();
    r.notes = {"compile cache off: cannot create /ro/cache: Permission denied"};
    r.seconds = std::nan("");
    EXPECT_EQ(compiledEvent(spec::Role::Reference, r).at("role"), "reference");
    const auto e = compiledEvent(spec::Role::Baseline, r);
    EXPECT_EQ(e.at("role"), "baseline");
    EXPECT_EQ(e.at("notes").at(0), r.notes[0]);
    EXPECT_TRUE(e.at("seconds").is_null());
    EXPECT_NO_THROW((void)e.dump());
}

TEST(CompileResultJson, RoundTripKeepsWhatTheCacheNeeds) {
    const auto r = sample();
    const auto back = compileResultFromJson(nlohmann::json::parse(compileResultToJson(r).dump()));
    EXPECT_EQ(back.ok, r.ok);
    EXPECT_DOUBLE_EQ(back.seconds, r.seconds);
    EXPECT_EQ(back.diagnostics, r.diagnostics);
    EXPECT_EQ(back.kernels, r.kernels);
    EXPECT_EQ(back.log, r.log);
    EXPECT_EQ(back.command, r.command);
    EXPECT_FALSE(back.cached); // per call, not stored
    EXPECT_EQ(back.so_path, "");
    EXPECT_THROW(compileResultFromJson(nlohmann::json::parse(R"({"ok":true})")), nlohmann::json::exception);
}

} // namespace
} // namespace kf::gpu::compile
