// SPDX-License-Identifier: MIT
// What the cases of one suite share because they only read it: a Postal sample and the archive
// made of it take seconds to build, once per suite instead of once per case. The `T` is built
// before the suite's first case (a failure there fails the suite, and none of its cases run)
// and dropped after its last, so its databases do not outlive the suite:
//
//   BOOST_FIXTURE_TEST_SUITE(Name, PerCase, *pbk::test::shared_by_suite<T>() * ...)
//   struct PerCase { const T& shared = pbk::test::suite_shared<T>(); ... };
//
// Only for what no case changes: a case that writes to the sample's databases or to the
// archive would change what the next case sees.
#pragma once

#include <boost/test/unit_test.hpp>

#include <memory>

namespace pbk::test {

template <class T>
class SuiteShared {
public:
  SuiteShared() { slot() = std::make_unique<const T>(); }

  ~SuiteShared() { slot().reset(); }

  SuiteShared(const SuiteShared&) = delete;
  SuiteShared& operator=(const SuiteShared&) = delete;

  [[nodiscard]] static const T& get() {
    BOOST_TEST_REQUIRE(slot() != nullptr, "used outside a suite decorated with shared_by_suite");
    return *slot();
  }

private:
  static std::unique_ptr<const T>& slot() {
    static std::unique_ptr<const T> value;
    return value;
  }
};

// The decorator that makes the suite's `T`.
template <class T>
[[nodiscard]] auto shared_by_suite() {
  return boost::unit_test::fixture<SuiteShared<T>>();
}

// The suite's `T`, inside one of its cases or their fixture.
template <class T>
[[nodiscard]] const T& suite_shared() {
  return SuiteShared<T>::get();
}

} // namespace pbk::test
