// SPDX-License-Identifier: MIT
#include "loopback_server.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace kf::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kMaxHead = 64 * 1024;
constexpr std::size_t kMaxBody = 64 * 1024 * 1024;
constexpr milliseconds kReadLimit{5000};   // a request must arrive within this
constexpr milliseconds kLingerLimit{2000}; // after a response, wait this long for the client to close
constexpr milliseconds kStallLimit{30000}; // a stalled response gives up after this (tests end sooner)

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

const char* reasonPhrase(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 529:
        return "Overloaded";
    default:
        return "Status";
    }
}

std::string hex(std::size_t n) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%zx", n);
    return buf;
}

int msLeft(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 1000));
}

} // namespace

std::string RecordedRequest::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name))
            return v;
    return {};
}

ScriptedResponse ScriptedResponse::json(int status, std::string body, Headers headers) {
    ScriptedResponse r;
    r.status = status;
    r.headers = std::move(headers);
    if (std::none_of(r.headers.begin(), r.headers.end(),
                     [](const auto& h) { return iequals(h.first, "content-type"); }))
        r.headers.emplace_back("Content-Type", "application/json");
    r.body.push_back(Chunk{std::move(body), milliseconds(0)});
    return r;
}

ScriptedResponse ScriptedResponse::stream(std::string_view body, std::size_t piece, milliseconds delay,
                                          std::string content_type, Framing framing) {
    ScriptedResponse r;
    r.framing = framing;
    r.headers.emplace_back("Content-Type", std::move(content_type));
    piece = std::max<std::size_t>(piece, 1);
    for (std::size_t i = 0; i < body.size(); i += piece)
        r.body.push_back(Chunk{std::string(body.substr(i, piece)), i == 0 ? milliseconds(0) : delay});
    return r;
}

ScriptedResponse ScriptedResponse::proxy() {
    ScriptedResponse r;
    r.forward = true;
    return r;
}

LoopbackServer::LoopbackServer(std::vector<ScriptedResponse> script, std::size_t max_connections)
    : m_max_connections(std::max<std::size_t>(max_connections, 1))
    , m_script(std::move(script)) {
    if (pipe2(m_wake, O_CLOEXEC | O_NONBLOCK) != 0)
        throw std::runtime_error("loopback server: pipe2 failed");
    m_listen = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listen < 0)
        throw std::runtime_error("loopback server: socket failed");
    const int one = 1;
    setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(m_listen, 64) != 0 ||
        getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        close(m_listen);
        throw std::runtime_error(std::string("loopback server: cannot listen: ") + std::strerror(errno));
    }
    m_port = ntohs(addr.sin_port);
    m_acceptor = std::thread([this] { acceptLoop(); });
}

LoopbackServer::~LoopbackServer() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    [[maybe_unused]] const auto n = write(m_wake[1], "x", 1);
    if (m_acceptor.joinable())
        m_acceptor.join();
    for (Connection& c : m_connections) // the acceptor is gone: the list no longer changes
        if (c.thread.joinable())
            c.thread.join();
    close(m_listen);
    close(m_wake[0]);
    close(m_wake[1]);
}

std::string LoopbackServer::url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(m_port) + std::string(path);
}

void LoopbackServer::setScript(std::vector<ScriptedResponse> script) {
    std::lock_guard lock(m_mutex);
    m_script = std::move(script);
    m_script_pos = 0;
}

std::vector<RecordedRequest> LoopbackServer::requests() const {
    std::lock_guard lock(m_mutex);
    return m_requests;
}

std::size_t LoopbackServer::requestCount() const {
    std::lock_guard lock(m_mutex);
    return m_requests.size();
}

bool LoopbackServer::waitForRequests(std::size_t n, milliseconds timeout) const {
    std::unique_lock lock(m_mutex);
    return m_cv.wait_for(lock, timeout, [&] { return m_requests.size() >= n; });
}

std::optional<Clock::time_point> LoopbackServer::waitForClientClose(std::size_t index,
                                                                    milliseconds timeout) const {
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, timeout, [&] { return index < m_client_closed.size() && m_client_closed[index]; });
    return index < m_client_closed.size() ? m_client_closed[index] : std::nullopt;
}

bool LoopbackServer::stopping() const {
    std::lock_guard lock(m_mutex);
    return m_stop;
}

void LoopbackServer::acceptLoop() {
    while (!stopping()) {
        std::list<Connection> finished;
        bool room = false;
        {
            std::lock_guard lock(m_mutex);
            for (auto it = m_connections.begin(); it != m_connections.end();) {
                auto next = std::next(it);
                if (it->done)
                    finished.splice(finished.end(), m_connections, it);
                it = next;
            }
            room = m_active < m_max_connections;
        }
        for (Connection& c : finished)
            c.thread.join();

        pollfd fds[2] = {{m_listen, static_cast<short>(room ? POLLIN : 0), 0}, {m_wake[0], POLLIN, 0}};
        if (poll(fds, 2, room ? 100 : 10) <= 0)
            continue;
        if (fds[1].revents != 0)
            break;
        if (!room || (fds[0].revents & POLLIN) == 0)
            continue;
        const int fd = accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        std::lock_guard lock(m_mutex);
        Connection& c = m_connections.emplace_back();
        ++m_active;
        c.thread = std::thread([this, fd, &c] { serve(fd, &c); });
    }
}

void LoopbackServer::markClientClosed(std::size_t index) {
    {
        std::lock_guard lock(m_mutex);
        if (index < m_client_closed.size() && !m_client_closed[index])
            m_client_closed[index] = Clock::now();
    }
    m_cv.notify_all();
}

bool LoopbackServer::sendAll(int fd, std::string_view data) {
    while (!data.empty()) {
        pollfd fds[2] = {{fd, POLLOUT, 0}, {m_wake[0], POLLIN, 0}};
        if (poll(fds, 2, 100) < 0 && errno != EINTR)
            return false;
        if (fds[1].revents != 0)
            return false;
        if ((fds[0].revents & (POLLERR | POLLHUP)) != 0)
            return false;
        if ((fds[0].revents & POLLOUT) == 0)
            continue;
        const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                continue;
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// Waits `delay` while watching the client: false when it closed the connection or the server is stopping.
bool LoopbackServer::waitOrClosed(int fd, milliseconds delay, std::size_t index) {
    const auto deadline = Clock::now() + delay;
    for (;;) {
        const int left = msLeft(deadline);
        if (left == 0 && Clock::now() >= deadline)
            return true;
        pollfd fds[2] = {{fd, POLLIN, 0}, {m_wake[0], POLLIN, 0}};
        if (poll(fds, 2, left) < 0 && errno != EINTR)
            return false;
        if (fds[1].revents != 0)
            return false;
        if (fds[0].revents != 0) {
            char buf[4096];
            const ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                markClientClosed(index);
                return false;
            }
        }
    }
}

void LoopbackServer::awaitClientClose(int fd, std::size_t index, milliseconds limit) {
    waitOrClosed(fd, limit, index);
}

void LoopbackServer::serve(int fd, Connection* self) {
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    // The request head, then a Content-Length body.
    std::string buf;
    std::size_t head_end = std::string::npos;
    const auto deadline = Clock::now() + kReadLimit;
    bool ok = true;
    const auto readMore = [&]() {
        pollfd fds[2] = {{fd, POLLIN, 0}, {m_wake[0], POLLIN, 0}};
        if (Clock::now() >= deadline || poll(fds, 2, msLeft(deadline)) <= 0 || fds[1].revents != 0)
            return false;
        char tmp[16384];
        const ssize_t n = recv(fd, tmp, sizeof tmp, 0);
        if (n <= 0)
            return false;
        buf.append(tmp, static_cast<std::size_t>(n));
        return true;
    };
    while (ok && (head_end = buf.find("\r\n\r\n")) == std::string::npos)
        ok = buf.size() < kMaxHead && readMore();

    RecordedRequest req;
    if (ok) {
        std::string_view head(buf.data(), head_end);
        const auto eol = head.find("\r\n");
        std::string_view line = head.substr(0, eol);
        const auto sp1 = line.find(' ');
        const auto sp2 = line.rfind(' ');
        if (sp1 != std::string_view::npos && sp2 > sp1) {
            req.method = line.substr(0, sp1);
            req.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
        }
        std::string_view rest = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
        while (!rest.empty()) {
            const auto e = rest.find("\r\n");
            const std::string_view h = rest.substr(0, e);
            rest = e == std::string_view::npos ? std::string_view() : rest.substr(e + 2);
            const auto colon = h.find(':');
            if (colon != std::string_view::npos)
                req.headers.emplace_back(std::string(trim(h.substr(0, colon))),
                                         std::string(trim(h.substr(colon + 1))));
        }
        if (iequals(req.header("expect"), "100-continue"))
            ok = sendAll(fd, "HTTP/1.1 100 Continue\r\n\r\n");
        std::size_t length = 0;
        if (const std::string cl = req.header("content-length"); !cl.empty())
            length = std::min<std::size_t>(std::strtoull(cl.c_str(), nullptr, 10), kMaxBody);
        while (ok && buf.size() - head_end - 4 < length)
            ok = readMore();
        if (ok)
            req.body = buf.substr(head_end + 4, length);
    }

    if (ok) {
        req.received = Clock::now();
        ScriptedResponse response;
        std::size_t index = 0;
        {
            std::lock_guard lock(m_mutex);
            index = m_requests.size();
            m_requests.push_back(req);
            m_client_closed.emplace_back();
            if (m_script.empty()) {
                response = ScriptedResponse::json(404, R"({"error":"no scripted response"})");
            } else {
                response = m_script[std::min(m_script_pos, m_script.size() - 1)];
                ++m_script_pos;
            }
        }
        m_cv.notify_all();
        if (response.forward)
            forward(fd, req, index);
        else
            respond(fd, response, index);
    }

    close(fd);
    std::lock_guard lock(m_mutex);
    self->done = true;
    --m_active;
}

void LoopbackServer::respond(int fd, const ScriptedResponse& r, std::size_t index) {
    const auto lost = [&] { markClientClosed(index); };
    if (r.head_delay.count() > 0 && !waitOrClosed(fd, r.head_delay, index))
        return;
    if (!r.raw.empty()) {
        if (!sendAll(fd, r.raw))
            return lost();
        shutdown(fd, SHUT_WR);
        return awaitClientClose(fd, index, kLingerLimit);
    }

    std::size_t total = 0;
    for (const Chunk& c : r.body)
        total += c.bytes.size();
    std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + reasonPhrase(r.status) + "\r\n";
    for (const auto& [k, v] : r.headers)
        head += k + ": " + v + "\r\n";
    if (r.framing == ScriptedResponse::Framing::ContentLength)
        head += "Content-Length: " + std::to_string(total + (r.stall ? 1 : 0)) + "\r\n";
    else if (r.framing == ScriptedResponse::Framing::Chunked)
        head += "Transfer-Encoding: chunked\r\n";
    head += "Connection: close\r\n\r\n";
    if (!sendAll(fd, head))
        return lost();

    std::size_t sent = 0;
    for (const Chunk& c : r.body) {
        if (r.drop_after && sent >= *r.drop_after)
            break;
        if (c.delay.count() > 0 && !waitOrClosed(fd, c.delay, index))
            return;
        std::string_view bytes = c.bytes;
        if (r.drop_after)
            bytes = bytes.substr(0, *r.drop_after - sent);
        if (bytes.empty())
            continue;
        std::string framed;
        if (r.framing == ScriptedResponse::Framing::Chunked)
            framed = hex(bytes.size()) + "\r\n" + std::string(bytes) + "\r\n";
        else
            framed = bytes;
        if (!sendAll(fd, framed))
            return lost();
        sent += bytes.size();
    }
    if (r.drop_after) // close without finishing the body: the peer sees the connection end early
        return;
    if (r.stall) { // keep the connection open, silent, until the client gives up (or the server stops)
        waitOrClosed(fd, kStallLimit, index);
        return;
    }
    if (r.framing == ScriptedResponse::Framing::Chunked && !sendAll(fd, "0\r\n\r\n"))
        return lost();
    shutdown(fd, SHUT_WR);
    awaitClientClose(fd, index, kLingerLimit);
}

void LoopbackServer::forward(int fd, const RecordedRequest& request, std::size_t index) {
    // Only http://127.0.0.1:<port>/… or http://localhost:<port>/… : this proxy never leaves the machine.
    std::string_view target = request.target;
    std::string_view host_port;
    std::string path = "/";
    for (std::string_view scheme : {"http://127.0.0.1:", "http://localhost:"}) {
        if (target.starts_with(scheme)) {
            host_port = target.substr(scheme.size());
            const auto slash = host_port.find('/');
            if (slash != std::string_view::npos) {
                path = host_port.substr(slash);
                host_port = host_port.substr(0, slash);
            }
        }
    }
    const int port = host_port.empty() ? 0 : std::atoi(std::string(host_port).c_str());
    int up = -1;
    if (port > 0 && port < 65536) {
        up = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        if (up >= 0 && connect(up, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            close(up);
            up = -1;
        }
    }
    if (up < 0) {
        const std::string bad = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        sendAll(fd, bad);
        return awaitClientClose(fd, index, kLingerLimit);
    }

    std::string out = request.method + " " + path + " HTTP/1.1\r\n";
    for (const auto& [k, v] : request.headers)
        if (!iequals(k, "proxy-connection") && !iequals(k, "connection"))
            out += k + ": " + v + "\r\n";
    out += "Connection: close\r\n\r\n" + request.body;
    bool ok = sendAll(up, out);
    while (ok) {
        pollfd fds[3] = {{up, POLLIN, 0}, {fd, POLLIN, 0}, {m_wake[0], POLLIN, 0}};
        if (poll(fds, 3, 100) < 0 && errno != EINTR)
            break;
        if (fds[2].revents != 0)
            break;
        char buf[16384];
        if (fds[1].revents != 0) {
            const ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                markClientClosed(index);
                break;
            }
        }
        if (fds[0].revents != 0) {
            const ssize_t n = recv(up, buf, sizeof buf, MSG_DONTWAIT);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                shutdown(fd, SHUT_WR);
                awaitClientClose(fd, index, kLingerLimit);
                break;
            }
            if (n > 0)
                ok = sendAll(fd, std::string_view(buf, static_cast<std::size_t>(n)));
        }
    }
    close(up);
}

} // namespace kf::test
