#include "tests/support/slow_socket_relay.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace wandb::testing {
namespace {

sockaddr_un Address(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) throw std::invalid_argument("socket path too long");
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return addr;
}

// Copies what is readable on `from` to `to`; false at end of stream or on an error.
bool Pump(int from, int to) {
  char buffer[64 << 10];
  ssize_t n = read(from, buffer, sizeof(buffer));
  if (n <= 0) return false;
  for (ssize_t sent = 0; sent < n;) {
    ssize_t w = write(to, buffer + sent, n - sent);
    if (w <= 0) return false;
    sent += w;
  }
  return true;
}

}  // namespace

SlowSocketRelay::SlowSocketRelay(std::string listen_path, std::string target_path,
                                 std::chrono::milliseconds delay)
    : target_path_(std::move(target_path)), delay_(delay) {
  listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr = Address(listen_path);
  unlink(listen_path.c_str());
  if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listen_fd_, 128) != 0) {
    throw std::runtime_error("cannot listen on " + listen_path + ": " + std::strerror(errno));
  }
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

SlowSocketRelay::~SlowSocketRelay() {
  stopping_ = true;
  shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  close(listen_fd_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : open_fds_) shutdown(fd, SHUT_RDWR);
  }
  for (std::thread& t : threads_) t.join();  // acceptor gone: no thread is added any more
  for (int fd : open_fds_) close(fd);
}

void SlowSocketRelay::AcceptLoop() {
  while (!stopping_) {
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;  // EINTR, or the shutdown that ends the loop
    ++connections_;
    std::lock_guard<std::mutex> lock(mu_);
    open_fds_.push_back(fd);
    threads_.emplace_back([this, fd] { Relay(fd); });
  }
}

void SlowSocketRelay::Relay(int client_fd) {
  std::this_thread::sleep_for(delay_);
  int daemon_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  {
    std::lock_guard<std::mutex> lock(mu_);
    open_fds_.push_back(daemon_fd);
  }
  sockaddr_un addr = Address(target_path_);
  if (stopping_ || connect(daemon_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    shutdown(client_fd, SHUT_RDWR);
    return;
  }
  pollfd fds[2] = {{client_fd, POLLIN, 0}, {daemon_fd, POLLIN, 0}};
  bool open = true;
  while (open && poll(fds, 2, -1) > 0) {
    if (fds[0].revents != 0) open = Pump(client_fd, daemon_fd);
    if (open && fds[1].revents != 0) open = Pump(daemon_fd, client_fd);
  }
  shutdown(client_fd, SHUT_RDWR);
  shutdown(daemon_fd, SHUT_RDWR);
}

}  // namespace wandb::testing
