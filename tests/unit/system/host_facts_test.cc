#include "service/system/host_facts.h"

#include <catch2/catch.hpp>
#include <string>

namespace wandb::service {

TEST_CASE("physical cores are the distinct (physical id, core id) pairs", "[host_facts]") {
  // Two sockets, two cores each, two hardware threads per core.
  std::string cpuinfo;
  for (int socket = 0; socket < 2; ++socket) {
    for (int core = 0; core < 2; ++core) {
      for (int thread = 0; thread < 2; ++thread) {
        cpuinfo += "processor\t: x\nphysical id\t: " + std::to_string(socket) +
                   "\ncore id\t\t: " + std::to_string(core) + "\nflags\t\t: fpu vme\n\n";
      }
    }
  }
  CHECK(CountPhysicalCores(cpuinfo) == 4);
  // Without core ids (some VMs, other architectures) nothing is known.
  CHECK(CountPhysicalCores("processor\t: 0\nBogoMIPS\t: 50.00\n") == 0);
  CHECK(CountPhysicalCores("") == 0);
}

TEST_CASE("MemTotal is read from meminfo in bytes", "[host_facts]") {
  CHECK(MemTotalBytes("MemTotal:       24567244 kB\nMemFree:  1 kB\n") == 24567244ull * 1024);
  CHECK(MemTotalBytes("MemFree:  1 kB\n") == 0);
  CHECK(MemTotalBytes("MemTotal: lots kB\n") == 0);
}

TEST_CASE("Slurm variables come without prefix, lower-cased", "[host_facts]") {
  const char kEnviron[] =
      "PATH=/bin\0SLURM_JOB_ID=1234\0SLURM_NODELIST=n[1-4]\0SLURM_=x\0MY_SLURM_X=1\0"
      "SLURM_EMPTY=\0";
  std::string environ(kEnviron, sizeof(kEnviron) - 1);
  auto vars = SlurmVariables(environ);
  CHECK(vars.size() == 3);
  CHECK(vars["job_id"] == "1234");
  CHECK(vars["nodelist"] == "n[1-4]");
  CHECK(vars["empty"].empty());
  CHECK(SlurmVariables("").empty());
}

TEST_CASE("git facts are empty outside a repository", "[host_facts]") {
  GitInfo git = ProbeGit("/");
  CHECK(git.commit.empty());
  CHECK(git.remote.empty());
  CHECK(GitDiffHead("/").empty());
}

}  // namespace wandb::service
