// SPDX-License-Identifier: MIT
#include "ask_command.h"

#include "dataset/store.h"
#include "load_spec.h"
#include "output.h"
#include "recording/recording.h"
#include "spec/prompt.h"
#include "spec/spec_json.h"
#include "teacher/code_extraction.h"
#include "teacher/conversation.h"
#include "teacher/pricing.h"
#include "teacher/request_builder.h"
#include "teacher/streaming_call.h"
#include "teacher/transcript.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <unistd.h>

namespace kf::cli {
namespace {

using teacher::BlockKind;
using teacher::StreamEvent;

struct AskOptions {
    std::string spec;
    std::string provider = "anthropic";
    std::string model;
    std::string base_url;
    std::string effort;
    int64_t budget = 0;
    int64_t max_tokens = 32000;
    std::string out;
    std::string transcript;
    std::string gpu = "h100-sxm";
    std::string prices;
    double inactivity_s = 120.0;
    bool quiet_thinking = false;
    std::string db;
    bool no_save = false;
};

std::atomic<bool> g_cancel{false};

extern "C" void onInterrupt(int) {
    g_cancel.store(true);
}

// Writes straight to a file descriptor: the stream must reach the terminal as it arrives, and stdout and
// stderr must not wait on each other's buffers.
void emit(int fd, std::string_view text) {
    while (!text.empty()) {
        const auto n = ::write(fd, text.data(), text.size());
        if (n <= 0) {
            return; // a closed terminal is not a reason to abandon the stream; the files still get written
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

std::string withThousands(int64_t v) {
    if (v < 0) {
        return "?";
    }
    std::string s = std::to_string(v);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) {
        s.insert(static_cast<std::size_t>(i), ",");
    }
    return s;
}

// Prints thinking to stderr and the answer to stdout as events arrive; marks redacted and omitted thinking.
class StreamPrinter {
public:
    explicit StreamPrinter(bool quiet_thinking)
        : m_quiet(quiet_thinking) {}

    void operator()(const StreamEvent& e) {
        switch (e.type) {
        case StreamEvent::Type::BlockStart:
            m_kind = e.block_kind;
            m_block_text = false;
            if (e.block_kind == BlockKind::RedactedThinking) {
                emit(2, "[reasoning redacted by the service]\n");
            }
            break;
        case StreamEvent::Type::ThinkingDelta:
            m_block_text = m_block_text || !e.text.empty();
            if (!m_quiet) {
                emit(2, e.text);
            }
            break;
        case StreamEvent::Type::TextDelta:
            m_answer_started = true;
            emit(1, e.text);
            break;
        case StreamEvent::Type::BlockStop:
            if (m_kind == BlockKind::Thinking) {
                emit(2,
                     m_block_text ? "\n" : "[thinking omitted by the service: only its signature arrived]\n");
            }
            break;
        default:
            break;
        }
    }

    bool answerStarted() const { return m_answer_started; }

private:
    bool m_quiet;
    BlockKind m_kind = BlockKind::Other;
    bool m_block_text = false;
    bool m_answer_started = false;
};

teacher::ModelCapabilities fetchCapabilities(const teacher::TeacherSettings& s) {
    if (s.provider != teacher::Provider::Anthropic) {
        return {};
    }
    teacher::HttpStream http;
    std::string body;
    teacher::HttpOptions options;
    options.inactivity_timeout = std::chrono::milliseconds(15000);
    const auto result = http.perform(teacher::capabilitiesRequest(s), options,
                                     {nullptr, [&body](std::string_view b) { body.append(b); }}, g_cancel);
    if (result.outcome == teacher::HttpStream::Result::Outcome::Completed && result.status == 200) {
        const auto j = nlohmann::json::parse(body, nullptr, false);
        if (!j.is_discarded()) {
            return teacher::parseModelCapabilities(j);
        }
    }
    std::cerr << "kforge: model capabilities unavailable ("
              << (result.status ? "HTTP " + std::to_string(result.status) : result.message)
              << "); choosing the thinking mode from the options\n";
    return {};
}

std::string summary(const teacher::Turn& t, const std::optional<teacher::Price>& price) {
    std::ostringstream s;
    s << "kforge: " << (t.stop_reason.empty() ? "no stop reason" : t.stop_reason);
    if (!t.model.empty()) {
        s << " · " << t.model;
    }
    s << " · " << withThousands(t.usage.input_tokens) << " in / " << withThousands(t.usage.output_tokens)
      << " out";
    if (t.usage.thinking_tokens >= 0) {
        s << " (" << withThousands(t.usage.thinking_tokens) << " thinking)";
    }
    s << " tokens";
    if (price) {
        if (const auto usd = teacher::turnCost(t.usage, *price)) {
            char buf[32];
            std::snprintf(buf, sizeof buf, " · $%.4f", *usd);
            s << buf;
        }
    }
    return s.str();
}

nlohmann::ordered_json transcriptJson(const AskOptions& o, const spec::Spec& spec,
                                      const teacher::TeacherSettings& s, const teacher::HttpRequest& request,
                                      const teacher::Conversation& c, const teacher::CallResult& result) {
    teacher::Transcript t;
    t.context = {spec.id, o.spec, spec::kPromptTemplateId, spec::kPromptTemplateVersion};
    t.settings = s;
    t.request = teacher::redactedRequestJson(request);
    t.conversation = c;
    t.attempts = result.attempts;
    t.http_status = result.http_status;
    t.raw_stream = result.raw_bytes;
    return teacher::transcriptToJson(t);
}

// Keeps the attempt (and its kernel) in the dataset: every attempt, failed and cancelled ones too, since a
// rejected answer is a preference negative and a failure is data about the teacher.
int recordAttempt(const AskOptions& o, const spec::Spec& spec, const teacher::TeacherSettings& s,
                  const teacher::Conversation& c, const teacher::CallResult& result,
                  const teacher::ExtractedKernel& kernel) {
    try {
        auto store = dataset::Store::open(o.db.empty() ? dataset::Store::defaultPath() : o.db);
        const auto recorded = recording::recordAttempt(store, spec, s, c, result, kernel, "local:kforge-ask");
        std::cerr << "kforge: attempt " << recorded.attempt_id << " recorded in " << store.path() << "\n";
        return 0;
    } catch (const dataset::StoreError& e) {
        std::cerr << "kforge: the attempt was not recorded: " << e.what() << "\n";
        return 1;
    }
}

int runAsk(const AskOptions& o) {
    teacher::TeacherSettings settings;
    if (!teacher::parseProvider(o.provider, settings.provider)) {
        std::cerr << "kforge: unknown --provider '" << o.provider << "' (one of anthropic, openai, ollama)\n";
        return 2;
    }
    settings.model = o.model;
    settings.base_url = o.base_url;
    settings.effort = o.effort;
    settings.budget_tokens = o.budget;
    settings.max_tokens = o.max_tokens;
    teacher::applyEnvironment(settings, teacher::processEnvironment());
    if (const auto problem = teacher::validateSettings(settings); !problem.empty()) {
        std::cerr << "kforge: " << problem << '\n';
        return 2;
    }
    std::optional<teacher::PriceTable> custom_prices;
    if (!o.prices.empty()) {
        std::ifstream in(o.prices);
        const auto j = nlohmann::json::parse(in, nullptr, false);
        try {
            custom_prices = teacher::PriceTable::parse(j);
        } catch (const std::exception& e) {
            std::cerr << "kforge: " << o.prices << ": " << (j.is_discarded() ? "not JSON" : e.what()) << '\n';
            return 2;
        }
    }
    const auto target = targetGpuOrComplain(o.gpu);
    if (!target) {
        return 2;
    }
    const auto loaded = loadValidSpec(o.spec);
    if (!loaded) {
        return 1;
    }

    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    const auto caps = fetchCapabilities(settings);
    teacher::Conversation conversation;
    conversation.addUser(spec::renderPrompt(loaded->spec, *target));
    teacher::HttpRequest request;
    try {
        request = teacher::buildRequest(settings, caps, conversation);
    } catch (const std::invalid_argument& e) {
        std::cerr << "kforge: " << e.what() << '\n';
        return 2;
    }
    std::cerr << "kforge: asking " << teacher::providerName(settings.provider) << " " << settings.model
              << " at " << teacher::redactUrl(settings.base_url) << " for " << loaded->spec.id << "\n";

    StreamPrinter printer(o.quiet_thinking);
    teacher::HttpOptions http;
    http.inactivity_timeout = std::chrono::milliseconds(static_cast<int64_t>(o.inactivity_s * 1000));
    teacher::CallHooks hooks;
    hooks.on_retry = [](const teacher::RetryDecision& d, int next) {
        std::cerr << "kforge: " << d.reason << "; attempt " << next << " in " << d.delay.count() << " ms\n";
    };
    const auto result =
        teacher::streamingCall(request, http, settings.provider, g_cancel, std::ref(printer), hooks);
    if (printer.answerStarted()) {
        emit(1, "\n");
    }
    conversation.addAssistant(result.turn);
    const auto& turn = result.turn;
    const auto& prices = custom_prices ? *custom_prices : teacher::PriceTable::builtin();
    std::cerr << summary(turn, prices.find(turn.model.empty() ? settings.model : turn.model)) << '\n';

    int status = 0;
    if (turn.status == teacher::TurnStatus::Cancelled) {
        const bool kept = !o.no_save || !o.transcript.empty() || !o.out.empty();
        std::cerr << (kept ? "kforge: cancelled; what arrived is kept (the lines below say where)\n"
                           : "kforge: cancelled\n");
        status = 130;
    } else if (turn.status == teacher::TurnStatus::Failed) {
        std::cerr << "kforge: " << turn.error
                  << (turn.request_id.empty() ? "" : " (request " + turn.request_id + ")") << '\n';
        status = 1;
    }
    const auto kernel = teacher::extractKernel(turn.answerText());
    if (!o.out.empty() && status == 0) {
        if (!kernel.ok) {
            std::cerr << "kforge: no kernel saved: " << kernel.message << '\n';
            status = 1;
        } else if (const auto err = writeFileAtomically(o.out, kernel.source); !err.empty()) {
            std::cerr << "kforge: " << err << '\n';
            status = 1;
        } else {
            std::cerr << "kforge: kernel saved to " << o.out << " (" << kernel.message << ")\n";
        }
    }
    const auto transcript_path = !o.transcript.empty() ? o.transcript
                                 : !o.out.empty()      ? o.out + ".transcript.json"
                                                       : std::string();
    if (!transcript_path.empty()) {
        const auto j = transcriptJson(o, loaded->spec, settings, request, conversation, result);
        const auto text = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        if (const auto err = writeFileAtomically(transcript_path, text); !err.empty()) {
            std::cerr << "kforge: " << err << '\n';
            status = status ? status : 1;
        } else {
            std::cerr << "kforge: conversation saved to " << transcript_path << '\n';
        }
    }
    if (!o.no_save) {
        const int recorded = recordAttempt(o, loaded->spec, settings, conversation, result, kernel);
        status = status ? status : recorded;
    }
    return status;
}

} // namespace

void addAskCommand(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<AskOptions>();
    auto* ask =
        app.add_subcommand("ask", "Ask a teacher model for a kernel: reasoning streams to stderr, the answer "
                                  "to stdout");
    ask->add_option("spec", o->spec, "A *.kspec.yaml file")->required()->check(CLI::ExistingFile);
    ask->add_option("--provider", o->provider, "anthropic, openai (any OpenAI-compatible server) or ollama")
        ->capture_default_str();
    ask->add_option("--model", o->model,
                    "Model id (anthropic default: claude-sonnet-4-6, or KF_ANTHROPIC_MODEL)");
    ask->add_option("--base-url", o->base_url,
                    "Service URL (default from ANTHROPIC_BASE_URL, OPENAI_BASE_URL or OLLAMA_HOST)");
    auto* effort = ask->add_option("--effort", o->effort, "Thinking effort: low, medium, high, xhigh, max");
    auto* budget = ask->add_option("--budget", o->budget, "Manual thinking budget in tokens (>= 1024)");
    effort->excludes(budget);
    ask->add_option("--max-tokens", o->max_tokens, "Most output tokens, thinking included")
        ->capture_default_str();
    ask->add_option("--out", o->out,
                    "Save the extracted kernel here (and the conversation to OUT.transcript.json)");
    ask->add_option("--transcript", o->transcript, "Save the whole conversation (JSON, keys redacted) here");
    ask->add_option("--gpu", o->gpu, "Target GPU described in the prompt (h100-sxm, h100-pcie, h200)")
        ->capture_default_str();
    ask->add_option("--prices", o->prices,
                    "Price table for the cost line (default: resources/teacher/prices.json)");
    ask->add_option("--inactivity-timeout", o->inactivity_s,
                    "Seconds without any byte before the stream counts as "
                    "stalled")
        ->capture_default_str();
    ask->add_flag("--quiet-thinking", o->quiet_thinking, "Do not print the reasoning");
    ask->add_option("--db", o->db,
                    "Dataset to record the attempt in (default: $XDG_DATA_HOME/kernelforge/kernelforge.db)");
    ask->add_flag("--no-save", o->no_save, "Do not record the attempt in the dataset");
    ask->callback([o, &exit_code] { exit_code = runAsk(*o); });
}

} // namespace kf::cli
