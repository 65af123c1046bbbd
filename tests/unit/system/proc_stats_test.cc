#include "service/system/proc_stats.h"

#include <catch2/catch.hpp>
#include <map>

namespace wandb::service::proc {

TEST_CASE("/proc/stat: total and idle ticks of the cpu line", "[system]") {
  // user nice system idle iowait irq softirq steal guest guest_nice
  std::optional<CpuTimes> t = ParseCpuTimes(
      "cpu  100 5 50 800 20 3 2 0 40 0\n"
      "cpu0 50 2 25 400 10 1 1 0 20 0\n"
      "intr 12345 0 0\n");
  REQUIRE(t.has_value());
  CHECK(t->total == 980);  // guest is inside user: not counted twice
  CHECK(t->idle == 820);   // idle + iowait
  // An older kernel's shorter line still parses.
  t = ParseCpuTimes("cpu 10 0 10 80\n");
  REQUIRE(t.has_value());
  CHECK(t->total == 100);
  CHECK(t->idle == 80);
  CHECK_FALSE(ParseCpuTimes("cpu0 1 2 3 4\n").has_value());
  CHECK_FALSE(ParseCpuTimes("cpu  1 x 3 4\n").has_value());
  CHECK_FALSE(ParseCpuTimes("").has_value());
}

TEST_CASE("CpuPercent is the busy share between two readings", "[system]") {
  CHECK(CpuPercent({1000, 800}, {1200, 950}) == 25.0);
  CHECK(CpuPercent({1000, 800}, {1003, 801}) == 66.7);   // rounded to one decimal, as psutil
  CHECK(CpuPercent({1000, 800}, {1000, 800}) == 0.0);    // no tick passed
  CHECK(CpuPercent({1000, 800}, {1100, 790}) == 100.0);  // idle stepping back is not negative
}

TEST_CASE("/proc/meminfo: total and available bytes, and psutil's percent", "[system]") {
  std::optional<MemInfo> m = ParseMemInfo(
      "MemTotal:       16000000 kB\n"
      "MemFree:         1000000 kB\n"
      "MemAvailable:    4000000 kB\n"
      "Buffers:          200000 kB\n");
  REQUIRE(m.has_value());
  CHECK(m->total == 16000000ull * 1024);
  CHECK(m->available == 4000000ull * 1024);
  CHECK(MemoryPercent(*m) == 75.0);
  // Without MemAvailable (kernels before 3.14): free + buffers + cached.
  m = ParseMemInfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 150 kB\n");
  REQUIRE(m.has_value());
  CHECK(m->available == 300 * 1024);
  CHECK(MemoryPercent(*m) == 70.0);
  CHECK_FALSE(ParseMemInfo("MemFree: 100 kB\n").has_value());
  CHECK_FALSE(ParseMemInfo("MemTotal: 0 kB\n").has_value());
}

TEST_CASE("/proc/<pid>/stat: ppid, CPU ticks, threads and RSS, whatever the name holds",
          "[system]") {
  // The command name may hold spaces and parentheses.
  std::optional<ProcessStat> s = ParseProcessStat(
      "4242 (my (odd) trainer) S 4200 4242 4200 34816 4242 4194304 1500 0 3 0 "
      "700 300 0 0 20 0 12 0 123456 987654321 2560 18446744073709551615 1 1 0 0 0 0\n");
  REQUIRE(s.has_value());
  CHECK(s->ppid == 4200);
  CHECK(s->cpu_ticks == 1000);
  CHECK(s->threads == 12);
  CHECK(s->rss_pages == 2560);
  CHECK_FALSE(ParseProcessStat("4242 (short) S 1 2 3\n").has_value());
  CHECK_FALSE(ParseProcessStat("no parentheses at all").has_value());
}

TEST_CASE("ProcessCpuPercent is a share of the whole machine", "[system]") {
  // 100 ticks/s: 150 ticks over 1 s on 4 CPUs = 1.5 cores = 37.5 % of the machine.
  CHECK(ProcessCpuPercent(1000, 1150, 1.0, 100, 4) == Approx(37.5));
  CHECK(ProcessCpuPercent(1000, 1000, 1.0, 100, 4) == 0.0);
  CHECK(ProcessCpuPercent(1000, 1150, 0.0, 100, 4) == 0.0);    // no time passed
  CHECK(ProcessCpuPercent(1000, 1500, 1.0, 100, 4) == 100.0);  // tick jitter is capped
}

TEST_CASE("/proc/net/dev: bytes of every interface, loopback included", "[system]") {
  std::optional<NetBytes> n = ParseNetDev(
      "Inter-|   Receive                                                |  Transmit\n"
      " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
      "drop fifo colls carrier compressed\n"
      "    lo:    1000      10    0    0    0     0          0         0     1000      10    0 "
      "   0    0     0       0          0\n"
      "  eth0:12345678   9000    0    0    0     0          0         0   654321    5000    0 "
      "   0    0     0       0          0\n");
  REQUIRE(n.has_value());
  CHECK(n->recv == 12346678);
  CHECK(n->sent == 655321);
  CHECK_FALSE(ParseNetDev("Inter-|   Receive |  Transmit\n").has_value());
  CHECK_FALSE(ParseNetDev("  eth0: 1 2 3\n").has_value());
}

TEST_CASE("DiskPercent leaves root's reserve out, as psutil", "[system]") {
  // 1000 blocks, 400 free of which 50 are root's: used 600 of the 950 users can have.
  CHECK(DiskPercent({4096, 1000, 400, 350}) == 63.2);
  CHECK(DiskPercent({4096, 0, 0, 0}) == 0.0);
  std::optional<FsBlocks> root = StatFs("/");
  REQUIRE(root.has_value());
  double percent = DiskPercent(*root);
  CHECK(percent >= 0.0);
  CHECK(percent <= 100.0);
  CHECK_FALSE(StatFs("/no/such/directory").has_value());
}

TEST_CASE("InProcessTree follows parents up to the training process", "[system]") {
  // 1 <- 100 (training) <- 200 <- 300; 1 <- 400
  std::map<int64_t, int64_t> parents = {{100, 1}, {200, 100}, {300, 200}, {400, 1}};
  auto parent_of = [&](int64_t pid) -> std::optional<int64_t> {
    auto it = parents.find(pid);
    if (it == parents.end()) return std::nullopt;
    return it->second;
  };
  CHECK(InProcessTree(100, 100, parent_of));
  CHECK(InProcessTree(300, 100, parent_of));
  CHECK_FALSE(InProcessTree(400, 100, parent_of));
  CHECK_FALSE(InProcessTree(999, 100, parent_of));  // gone
  parents[500] = 501;
  parents[501] = 500;  // a cycle ends too
  CHECK_FALSE(InProcessTree(500, 100, parent_of));
}

}  // namespace wandb::service::proc
