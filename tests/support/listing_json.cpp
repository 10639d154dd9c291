// SPDX-License-Identifier: MIT
#include "tests/support/listing_json.hpp"

#include <boost/test/unit_test.hpp>

namespace pbk::test {

nlohmann::json entry_for(const nlohmann::json& document, const std::string& name) {
  for (const auto& entry : document.at("backups")) {
    if (entry.at("file") == name) {
      return entry;
    }
  }
  BOOST_FAIL("no entry for " + name);
  return {};
}

bool has_reason(const nlohmann::json& entry, const std::string& fragment) {
  for (const auto& reason : entry.at("reasons")) {
    if (reason.get<std::string>().find(fragment) != std::string::npos) {
      return true;
    }
  }
  return false;
}

} // namespace pbk::test
