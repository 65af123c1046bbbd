// A Unix-socket relay that holds each new connection for a while before passing it on to a
// real daemon: how a daemon looks from a client on a machine too loaded to answer at once
// (it accepts, but sends nothing back for seconds). Bytes then flow unchanged both ways.
#ifndef WANDB_TESTS_SUPPORT_SLOW_SOCKET_RELAY_H_
#define WANDB_TESTS_SUPPORT_SLOW_SOCKET_RELAY_H_

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wandb::testing {

class SlowSocketRelay {
 public:
  // Listens on `listen_path`; each connection reaches `target_path` after `delay`.
  SlowSocketRelay(std::string listen_path, std::string target_path,
                  std::chrono::milliseconds delay);
  // Closes every connection and joins the threads.
  ~SlowSocketRelay();
  SlowSocketRelay(const SlowSocketRelay&) = delete;
  SlowSocketRelay& operator=(const SlowSocketRelay&) = delete;

  int connections() const { return connections_.load(); }

 private:
  void AcceptLoop();
  void Relay(int client_fd);

  const std::string target_path_;
  const std::chrono::milliseconds delay_;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::mutex mu_;
  std::vector<int> open_fds_;  // shut down by the destructor to end the relay threads
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace wandb::testing

#endif  // WANDB_TESTS_SUPPORT_SLOW_SOCKET_RELAY_H_
