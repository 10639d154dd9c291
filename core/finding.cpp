// SPDX-License-Identifier: MIT
#include "core/finding.hpp"

#include "core/size_text.hpp"

#include <algorithm>

namespace pbk::core {

const char* to_string(Severity severity) {
  switch (severity) {
  case Severity::ok:
    return "ok";
  case Severity::info:
    return "info";
  case Severity::warning:
    return "warning";
  case Severity::failure:
    break;
  }
  return "failure";
}

Severity worst(const std::vector<Finding>& findings) {
  Severity result = Severity::ok;
  for (const auto& finding : findings) {
    result = std::max(result, finding.severity);
  }
  return result;
}

SettingFix server_setting_fix(const std::string& name, const std::string& value) {
  // Server options take dashes or underscores on the command line; the image's examples
  // and most compose files use dashes.
  std::string option = name;
  std::replace(option.begin(), option.end(), '_', '-');
  return {"set " + name + " = " + value
              + " in the [mysqld] section of the server's my.cnf and restart it",
          "add --" + option + "=" + value
              + " to the server container's command (docker run … mariadb --" + option + "=" + value
              + "; compose: command: --" + option + "=" + value + ") and recreate it"};
}

Finding free_space_finding(const SpaceNeed& need) {
  Finding finding{Severity::ok, need.id, need.path, "", "", "", ""};
  if (!need.free) {
    finding.severity = Severity::info;
    finding.value = "unknown";
    finding.message = "free space not checked: " + need.unknown;
    return finding;
  }
  finding.value = size_text(*need.free) + " free";
  if (need.needed == 0) {
    finding.message = "nothing to compare it with (" + need.needed_for + " is not known)";
    return finding;
  }
  const std::string compared = need.needed_for + " takes " + size_text(need.needed);
  if (*need.free < need.needed) {
    finding.severity = Severity::failure;
    finding.message = compared + ": the next run will fill the disk and fail";
  } else if (*need.free / 2 < need.needed) {
    finding.severity = Severity::warning;
    finding.message = compared + ", less than twice that: the run after next may fail";
  } else {
    finding.message = compared;
    return finding;
  }
  finding.fix = need.fix;
  return finding;
}

} // namespace pbk::core
