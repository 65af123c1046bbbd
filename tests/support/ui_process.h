// A real `wandb-cpp ui` process for the UI's integration tests: started on a free port, its
// URL read from the first line it prints, stopped (SIGTERM, then SIGKILL) when it goes.
#ifndef WANDB_TESTS_SUPPORT_UI_PROCESS_H_
#define WANDB_TESTS_SUPPORT_UI_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace wandb::testing {

class UiProcess {
 public:
  // `wandb-cpp ui --port 0 --store STORE_DIR extra_args...`. Throws when it does not print its
  // URL within 20 s.
  UiProcess(const std::string& store_dir, const std::vector<std::string>& extra_args = {});
  ~UiProcess();
  UiProcess(const UiProcess&) = delete;
  UiProcess& operator=(const UiProcess&) = delete;

  const std::string& url() const { return url_; }  // as printed, token included
  int port() const { return port_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string url_;
  int port_ = 0;
};

}  // namespace wandb::testing

#endif  // WANDB_TESTS_SUPPORT_UI_PROCESS_H_
