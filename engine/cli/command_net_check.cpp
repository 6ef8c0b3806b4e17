// tessera net-check: can the hosts of a run reach each other on the rendezvous port? The launch
// preflight starts `net-check listen` on the first host and `net-check connect` on the others;
// it needs nothing on the hosts but the tessera binary that the run needs anyway.

#include "commands.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

namespace tessera::cli {
namespace {

constexpr char kGreeting[] = "tessera-net-check\n";

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

int listen_for(int port, int connections, int timeout_s) {
  Fd s(::socket(AF_INET6, SOCK_STREAM, 0));
  bool v6 = s.fd >= 0;
  if (!v6) s.fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (s.fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(s.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  int rc;
  if (v6) {
    int zero = 0;
    ::setsockopt(s.fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));  // IPv4 too
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_any;
    a.sin6_port = htons(static_cast<uint16_t>(port));
    rc = ::bind(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  } else {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    a.sin_port = htons(static_cast<uint16_t>(port));
    rc = ::bind(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  }
  if (rc != 0)
    throw std::runtime_error("cannot listen on port " + std::to_string(port) + ": " + std::strerror(errno) +
                             (errno == EADDRINUSE ? " (another program uses it: pick another rendezvous port)" : ""));
  if (::listen(s.fd, 64) != 0) throw std::runtime_error(std::string("listen: ") + std::strerror(errno));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  int accepted = 0;
  while (accepted < connections) {
    pollfd p{s.fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, remaining_ms(deadline));
    if (ready <= 0) break;
    Fd c(::accept(s.fd, nullptr, nullptr));
    if (c.fd < 0) continue;
    if (::send(c.fd, kGreeting, sizeof(kGreeting) - 1, MSG_NOSIGNAL) > 0) ++accepted;
  }
  std::cout << "net-check: " << accepted << " of " << connections << " hosts connected on port " << port << "\n";
  return accepted == connections ? 0 : 1;
}

int connect_to(const std::string& host, int port, int timeout_s) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int gai = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (gai != 0) throw std::runtime_error("cannot resolve " + host + ": " + ::gai_strerror(gai));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, ::freeaddrinfo);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  std::string last_error = "timed out";
  // The listener may start a moment after us: retry until the deadline.
  while (remaining_ms(deadline) > 0) {
    for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
      Fd s(::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol));
      if (s.fd < 0) continue;
      if (::connect(s.fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        last_error = std::strerror(errno);
        continue;
      }
      char buf[64] = {};
      size_t got = 0;
      while (got < sizeof(kGreeting) - 1) {
        pollfd p{s.fd, POLLIN, 0};
        if (::poll(&p, 1, std::min(remaining_ms(deadline), 5000)) <= 0) break;
        const ssize_t n = ::recv(s.fd, buf + got, sizeof(buf) - 1 - got, 0);
        if (n <= 0) break;
        got += static_cast<size_t>(n);
      }
      if (std::string(buf, got) == kGreeting) {
        std::cout << "net-check: reached " << host << ":" << port << "\n";
        return 0;
      }
      last_error = "something else answers on that port";
    }
    ::usleep(200 * 1000);
  }
  std::cerr << "tessera: cannot reach " << host << ":" << port << " (" << last_error << ")\n";
  return 1;
}

}  // namespace

Command make_net_check_command() {
  Command c;
  c.name = "net-check";
  c.usage = "tessera net-check listen PORT CONNECTIONS SECONDS | connect HOST PORT SECONDS";
  c.summary = "check that the hosts of a run reach each other on a TCP port (used by the launch preflight)";
  c.min_positionals = 4;
  c.max_positionals = 4;
  c.run = [](const ParsedArgs& args) {
    const auto& p = args.positionals();
    auto number = [](const std::string& text, const char* what, long lo, long hi) {
      char* end = nullptr;
      errno = 0;
      const long v = std::strtol(text.c_str(), &end, 10);
      if (errno != 0 || end == text.c_str() || *end != '\0' || v < lo || v > hi)
        throw UsageError(std::string(what) + " must be a number in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                         "], got '" + text + "'");
      return static_cast<int>(v);
    };
    if (p[0] == "listen")
      return listen_for(number(p[1], "PORT", 1, 65535), number(p[2], "CONNECTIONS", 1, 100000), number(p[3], "SECONDS", 1, 3600));
    if (p[0] == "connect") return connect_to(p[1], number(p[2], "PORT", 1, 65535), number(p[3], "SECONDS", 1, 3600));
    throw UsageError("net-check expects 'listen' or 'connect', got '" + p[0] + "'");
  };
  return c;
}

}  // namespace tessera::cli
