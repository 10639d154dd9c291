// SPDX-License-Identifier: MIT
#include "archive/load_queue.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

using pbk::archive::LoadJob;
using pbk::archive::LoadQueue;

namespace {

LoadJob job_of(std::size_t index, std::size_t bytes) {
  LoadJob job;
  job.index = index;
  job.compressed.resize(bytes);
  return job;
}

LoadJob job_into(std::size_t index, const std::string& table) {
  LoadJob job = job_of(index, 1);
  job.database = "pbk_1_new_0";
  job.table = table;
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

// Lost if it failed: two loaders would start on the same empty staging table at once, and
// InnoDB's table lock for a first insert into an empty table would make one of them a
// deadlock victim (a restore failing, or retrying, for nothing).
BOOST_AUTO_TEST_CASE(a_table_that_may_be_empty_goes_to_one_loader_at_a_time) {
  LoadQueue queue(100);
  BOOST_TEST(queue.push(job_into(1, "raw-a")));
  BOOST_TEST(queue.push(job_into(2, "raw-a")));
  BOOST_TEST(queue.push(job_into(3, "raw-b")));
  BOOST_TEST(queue.push(job_into(4, "raw-a")));
  const auto first = queue.pop();
  BOOST_TEST(first->index == 1U);
  BOOST_TEST(queue.pop()->index == 3U); // raw-a is held back while its first member loads
  std::atomic<std::size_t> next{0};
  std::thread loader([&] { next = queue.pop()->index; });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  BOOST_TEST(next == 0U);
  queue.done(1, {first->database, first->table}, true); // raw-a now holds rows
  loader.join();
  BOOST_TEST(next == 2U);
  BOOST_TEST(queue.pop()->index == 4U); // no longer empty: its members load side by side
}

// Lost if it failed: a first member without rows leaves the table empty, and the next two
// members of it would again start side by side on an empty table.
BOOST_AUTO_TEST_CASE(a_table_stays_one_loader_at_a_time_until_rows_are_committed) {
  LoadQueue queue(100);
  for (std::size_t i = 1; i <= 3; ++i) {
    BOOST_TEST(queue.push(job_into(i, "t")));
  }
  const auto first = queue.pop();
  queue.done(1, {first->database, first->table}, false);
  const auto second = queue.pop();
  BOOST_TEST(second->index == 2U);
  queue.close();
  std::atomic<bool> popped{false};
  std::thread loader([&] { popped = queue.pop().has_value(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  BOOST_TEST(!popped);
  queue.done(1, {second->database, second->table}, true);
  loader.join();
  BOOST_TEST(popped);
}

// Lost if it failed: verify's workers, whose jobs name no table, would check one member at a
// time.
BOOST_AUTO_TEST_CASE(jobs_naming_no_table_are_not_held_back) {
  LoadQueue queue(100);
  BOOST_TEST(queue.push(job_of(1, 1)));
  BOOST_TEST(queue.push(job_of(2, 1)));
  BOOST_TEST(queue.pop()->index == 1U);
  BOOST_TEST(queue.pop()->index == 2U);
}

BOOST_AUTO_TEST_SUITE_END()
