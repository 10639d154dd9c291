// SPDX-License-Identifier: MIT
#include "restore/load_queue.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <thread>

using pbk::restore::LoadJob;
using pbk::restore::LoadQueue;

namespace {

LoadJob job_of(std::size_t index, std::size_t bytes) {
  LoadJob job;
  job.index = index;
  job.compressed.resize(bytes);
  return job;
}

} // namespace

BOOST_AUTO_TEST_SUITE(LoadQueueBounds)

// Lost if it failed: a restore of a large archive would buffer members faster than the server
// loads them, and its memory would grow with the archive.
BOOST_AUTO_TEST_CASE(push_waits_while_the_bytes_in_flight_are_at_the_bound) {
  LoadQueue queue(100);
  BOOST_TEST(queue.push(job_of(1, 60)));
  std::atomic<bool> pushed{false};
  std::thread producer([&] { pushed = queue.push(job_of(2, 60)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  BOOST_TEST(!pushed);
  auto first = queue.pop(); // popped but still loading: its bytes still count
  BOOST_TEST_REQUIRE(first.has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  BOOST_TEST(!pushed);
  queue.done(first->compressed.size());
  producer.join();
  BOOST_TEST(pushed);
  queue.close();
  BOOST_TEST(queue.pop()->index == 2U);
  BOOST_TEST(!queue.pop().has_value());
}

// Lost if it failed: one member larger than the bound (a chunk of big raw messages) would
// block the restore forever.
BOOST_AUTO_TEST_CASE(a_member_larger_than_the_bound_passes_alone) {
  LoadQueue queue(10);
  BOOST_TEST(queue.push(job_of(1, 1000)));
  BOOST_TEST(queue.pop()->compressed.size() == 1000U);
}

// Lost if it failed: a failed loader would leave the archive reader waiting forever instead
// of reporting the failure.
BOOST_AUTO_TEST_CASE(abort_wakes_a_waiting_producer_and_consumers) {
  LoadQueue queue(10);
  BOOST_TEST(queue.push(job_of(1, 10)));
  std::atomic<int> result{-1};
  std::thread producer([&] { result = queue.push(job_of(2, 10)) ? 1 : 0; });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  queue.abort();
  producer.join();
  BOOST_TEST(result == 0);
  BOOST_TEST(!queue.pop().has_value());
}

BOOST_AUTO_TEST_SUITE_END()
