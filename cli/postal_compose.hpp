// SPDX-License-Identifier: MIT
// --postal-compose FILE: the Postal release a Docker install runs, read from the image tag of
// its Compose file. Postal's installer writes `image: ghcr.io/postalserver/postal:<version>`
// into /opt/postal/install/docker-compose.yml for every Postal service and rewrites it on
// `postal upgrade [VERSION]`, so the tag is the release the containers run; the containers'
// own app directory is not visible from the host.
#pragma once

#include <filesystem>
#include <string>

namespace pbk::cli {

// The version of the Postal image every Postal service of `file` runs ("3.3.4"; a leading
// "v" is dropped). Throws a usage Error naming the file when it cannot be read, names no
// Postal image, names images of different versions, or a tag that is no release
// (`latest`, none).
[[nodiscard]] std::string postal_version_from_compose(const std::filesystem::path& file);

} // namespace pbk::cli
