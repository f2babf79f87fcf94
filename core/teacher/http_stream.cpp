// SPDX-License-Identifier: MIT
#include "http_stream.h"

#include <algorithm>
#include <cstdio>
#include <curl/curl.h>
#include <exception>
#include <memory>
#include <mutex>

namespace kf::teacher {
namespace {

using Clock = std::chrono::steady_clock;

// How long one curl_multi_poll may block: the bound on how late a cancel or an inactivity timeout is noticed
// while the server sends nothing (libcurl's own progress callback runs only about once per second then).
constexpr int kPollSliceMs = 20;

void globalInit() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
}

enum class Abort { None, Cancel, Inactive, Callback };

// State shared by the libcurl callbacks of one transfer. Everything runs on the thread calling perform().
struct Transfer {
    const HttpStream::Callbacks* callbacks = nullptr;
    const std::atomic<bool>* cancel = nullptr;
    Clock::duration inactivity{};
    CURL* easy = nullptr;

    HttpHead head;
    bool head_complete = false; // the blank line after a final (non-1xx) header block arrived
    bool head_delivered = false;
    std::size_t header_bytes = 0;
    std::size_t body_bytes = 0;

    bool connected = false;
    Clock::time_point last_activity = Clock::now();
    curl_off_t last_dl = 0;
    curl_off_t last_ul = 0;

    Abort abort = Abort::None;
    std::exception_ptr error;

    void touch() { last_activity = Clock::now(); }

    // True when the transfer must stop now (and says why in `abort`).
    bool mustStop() {
        if (abort != Abort::None)
            return true;
        if (cancel->load(std::memory_order_relaxed)) {
            abort = Abort::Cancel;
            return true;
        }
        if (!connected) {
            // The inactivity clock starts once the TCP connection is up; before that the connect timeout
            // rules.
            curl_off_t connect_us = 0;
            if (curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connect_us) == CURLE_OK && connect_us > 0) {
                connected = true;
                touch();
            }
            return false;
        }
        if (Clock::now() - last_activity > inactivity) {
            abort = Abort::Inactive;
            return true;
        }
        return false;
    }

    bool deliverHead() {
        if (head_delivered || !head_complete)
            return true;
        head_delivered = true;
        if (!callbacks->on_head)
            return true;
        try {
            callbacks->on_head(head);
        } catch (...) {
            error = std::current_exception();
            abort = Abort::Callback;
            return false;
        }
        return true;
    }
};

void headerLine(Transfer& t, std::string_view line) {
    if (line.starts_with("HTTP/")) { // a new response block: interim 1xx blocks are replaced by the final one
        t.head = HttpHead{};
        t.head_complete = false;
        const auto sp = line.find(' ');
        if (sp != std::string_view::npos) {
            int status = 0;
            for (std::size_t i = sp + 1; i < line.size() && line[i] >= '0' && line[i] <= '9' && i < sp + 4;
                 ++i)
                status = status * 10 + (line[i] - '0');
            t.head.status = status;
        }
        return;
    }
    const std::string_view content = trim(line);
    if (content.empty()) {
        t.head_complete = t.head.status >= 200;
        return;
    }
    if ((line.front() == ' ' || line.front() == '\t') && !t.head.headers.empty()) { // obsolete line folding
        t.head.headers.back().second += ' ';
        t.head.headers.back().second += content;
        return;
    }
    const auto colon = content.find(':');
    if (colon == std::string_view::npos)
        return;
    t.head.headers.emplace_back(std::string(trim(content.substr(0, colon))),
                                std::string(trim(content.substr(colon + 1))));
}

size_t onHeader(char* buffer, size_t size, size_t nitems, void* userdata) {
    auto& t = *static_cast<Transfer*>(userdata);
    const size_t n = size * nitems;
    t.touch();
    t.header_bytes += n;
    headerLine(t, std::string_view(buffer, n));
    return n;
}

size_t onWrite(char* ptr, size_t size, size_t nmemb, void* userdata) {
    auto& t = *static_cast<Transfer*>(userdata);
    const size_t n = size * nmemb;
    t.touch();
    if (t.cancel->load(std::memory_order_relaxed)) {
        t.abort = Abort::Cancel;
        return 0; // short count: CURLE_WRITE_ERROR
    }
    if (!t.head_complete) // a body without a recognisable header block (HTTP/0.9-like garbage): make one up
        t.head_complete = true;
    if (!t.deliverHead())
        return 0;
    t.body_bytes += n;
    if (t.callbacks->on_body) {
        try {
            t.callbacks->on_body(std::string_view(ptr, n));
        } catch (...) {
            t.error = std::current_exception();
            t.abort = Abort::Callback;
            return 0;
        }
    }
    return n;
}

int onProgress(void* clientp, curl_off_t /*dltotal*/, curl_off_t dlnow, curl_off_t /*ultotal*/,
               curl_off_t ulnow) {
    auto& t = *static_cast<Transfer*>(clientp);
    if (dlnow != t.last_dl || ulnow != t.last_ul) { // bytes moved (uploading a large request counts too)
        t.last_dl = dlnow;
        t.last_ul = ulnow;
        t.touch();
    }
    return t.mustStop() ? 1 : 0;
}

struct EasyDeleter {
    void operator()(CURL* e) const { curl_easy_cleanup(e); }
};
struct MultiDeleter {
    void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

} // namespace

std::string HttpHead::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name))
            return v;
    return {};
}

bool HttpHead::has(std::string_view name) const {
    return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return iequals(h.first, name); });
}

const char* outcomeName(HttpStream::Result::Outcome o) {
    using O = HttpStream::Result::Outcome;
    switch (o) {
    case O::Completed:
        return "completed";
    case O::Cancelled:
        return "cancelled";
    case O::Inactive:
        return "inactive";
    case O::ConnectFailed:
        return "connect_failed";
    case O::Dropped:
        return "dropped";
    }
    return "?";
}

HttpStream::Result HttpStream::perform(const HttpRequest& request, const HttpOptions& options,
                                       const Callbacks& callbacks, const std::atomic<bool>& cancel) {
    globalInit();
    Result result;

    std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
    std::unique_ptr<CURLM, MultiDeleter> multi(curl_multi_init());
    if (!easy || !multi) {
        result.outcome = Result::Outcome::ConnectFailed;
        result.message = "could not initialise libcurl";
        return result;
    }

    Transfer t;
    t.callbacks = &callbacks;
    t.cancel = &cancel;
    t.inactivity = options.inactivity_timeout;
    t.easy = easy.get();

    std::unique_ptr<curl_slist, SlistDeleter> headers;
    bool has_expect = false;
    for (const auto& [name, value] : request.headers) {
        has_expect = has_expect || iequals(name, "expect");
        // "Name:" would tell libcurl to remove the header; "Name;" sends it with an empty value.
        const std::string line = value.empty() ? name + ";" : name + ": " + value;
        curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
        if (grown) {
            (void)headers.release();
            headers.reset(grown);
        }
    }
    if (!has_expect) { // no "Expect: 100-continue" round trip before large bodies
        if (curl_slist* grown = curl_slist_append(headers.get(), "Expect:")) {
            (void)headers.release();
            headers.reset(grown);
        }
    }

    char errbuf[CURL_ERROR_SIZE] = {};
    CURL* e = easy.get();
    curl_easy_setopt(e, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L); // a proxy's CONNECT reply is not the response
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPIDLE, 30L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPINTVL, 15L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
    // No CURLOPT_ACCEPT_ENCODING (no compression: it would buffer SSE) and no CURLOPT_PROXY (libcurl then
    // reads http_proxy, https_proxy and no_proxy from the environment).
    if (!request.body.empty()) {
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, request.body.data());
    } else {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &onHeader);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &onWrite);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, &onProgress);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, &t);

    CURLcode code = CURLE_OK;
    bool done = false;
    std::string multi_error;
    if (curl_multi_add_handle(multi.get(), e) != CURLM_OK) {
        multi_error = "could not start the transfer";
    } else {
        // Driving the transfer ourselves bounds cancel latency by kPollSliceMs also during a stall.
        for (;;) {
            int running = 0;
            CURLMcode mc = curl_multi_perform(multi.get(), &running);
            if (mc != CURLM_OK) {
                multi_error = curl_multi_strerror(mc);
                break;
            }
            int left = 0;
            while (CURLMsg* msg = curl_multi_info_read(multi.get(), &left)) {
                if (msg->msg == CURLMSG_DONE && msg->easy_handle == e) {
                    code = msg->data.result;
                    done = true;
                }
            }
            if (done || running == 0 || t.mustStop())
                break;
            mc = curl_multi_poll(multi.get(), nullptr, 0, kPollSliceMs, nullptr);
            if (mc != CURLM_OK) {
                multi_error = curl_multi_strerror(mc);
                break;
            }
        }
        curl_multi_remove_handle(multi.get(), e);
    }

    if (t.abort != Abort::Callback)
        t.deliverHead(); // a response without body bytes (or cut before any) still gets its complete head
    if (t.error) {       // a callback threw: release libcurl first, then propagate
        multi.reset();
        easy.reset();
        std::rethrow_exception(t.error);
    }
    result.status = t.head.status;
    result.body_bytes = t.body_bytes;
    const bool got_bytes = t.header_bytes > 0 || t.body_bytes > 0;

    if (t.abort == Abort::Cancel) {
        result.outcome = Result::Outcome::Cancelled;
        result.message = "cancelled";
    } else if (t.abort == Abort::Inactive) {
        result.outcome = Result::Outcome::Inactive;
        result.message = "no bytes from the server for " + formatSeconds(options.inactivity_timeout);
    } else if (!multi_error.empty()) {
        result.outcome = got_bytes ? Result::Outcome::Dropped : Result::Outcome::ConnectFailed;
        result.message = "libcurl: " + multi_error;
    } else if (done && code == CURLE_OK) {
        result.outcome = Result::Outcome::Completed;
    } else {
        result.outcome = got_bytes ? Result::Outcome::Dropped : Result::Outcome::ConnectFailed;
        const char* what = done ? curl_easy_strerror(code) : "the transfer stopped unexpectedly";
        result.message = errbuf[0] != '\0' ? std::string(errbuf) : std::string(what);
        while (!result.message.empty() && (result.message.back() == '\n' || result.message.back() == '\r'))
            result.message.pop_back();
    }
    return result;
}

std::string formatSeconds(std::chrono::milliseconds ms) {
    char buf[32];
    if (ms.count() % 1000 == 0)
        std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(ms.count() / 1000));
    else
        std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms.count()) / 1000.0);
    return buf;
}

} // namespace kf::teacher
