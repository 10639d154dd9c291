// SPDX-License-Identifier: MIT
#include "backup/lanes.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

using pbk::backup::run_on_lanes;

BOOST_AUTO_TEST_SUITE(Lanes)

// A user's backup would miss or repeat tables if lanes did not take every item exactly once.
BOOST_AUTO_TEST_CASE(every_item_is_taken_exactly_once) {
  for (const std::size_t lanes : {std::size_t{1}, std::size_t{2}, std::size_t{5}}) {
    std::vector<std::atomic<int>> taken(200);
    std::mutex mutex;
    std::set<std::size_t> lanes_seen;
    run_on_lanes(lanes, taken.size(), [&](std::size_t lane, std::size_t item) {
      ++taken[item];
      const std::lock_guard lock(mutex);
      lanes_seen.insert(lane);
    });
    for (std::size_t i = 0; i < taken.size(); ++i) {
      BOOST_TEST(taken[i] == 1, "item " << i << " with " << lanes << " lanes");
    }
    BOOST_TEST(*lanes_seen.rbegin() < lanes);
  }
}

// A user would see a backup report success, or hang, when one table failed while others
// were being read beside it.
BOOST_AUTO_TEST_CASE(the_first_failure_stops_the_lanes_and_is_rethrown) {
  std::atomic<int> started{0};
  try {
    run_on_lanes(3, 1000, [&](std::size_t, std::size_t item) {
      ++started;
      if (item == 4) {
        throw std::runtime_error("table 4 failed");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
    BOOST_ERROR("no exception");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(e.what() == std::string("table 4 failed"));
  }
  BOOST_TEST(started < 100); // the others stopped taking items soon after
}

// A user running with one thread would pay for a thread (and lose the caller's client
// library setup) for nothing.
BOOST_AUTO_TEST_CASE(one_lane_runs_in_the_calling_thread) {
  const auto caller = std::this_thread::get_id();
  run_on_lanes(1, 3, [&](std::size_t lane, std::size_t) {
    BOOST_TEST(lane == 0U);
    BOOST_TEST((std::this_thread::get_id() == caller));
  });
}

BOOST_AUTO_TEST_SUITE_END()
