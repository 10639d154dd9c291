// SPDX-License-Identifier: MIT
// Tar blocks written by hand, for archives no honest writer produces: pax sparse entries,
// headers stating sizes their data never has, members whose data the tests choose freely.
// Every member gets a pax header carrying its path and size, so neither is limited by the
// ustar fields.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pbk::test {

// A regular member: pax header, ustar header, data padded to 512 bytes.
[[nodiscard]] std::string tar_member(const std::string& path, const std::string& data);
// A member whose headers state `stated_size` but which carries `data` (shorter or longer).
[[nodiscard]] std::string
tar_member_stating(const std::string& path, std::uint64_t stated_size, const std::string& data);
// A pax (GNU 1.0 format) sparse member of `real_size` bytes, all of them a hole but the last.
[[nodiscard]] std::string tar_sparse_member(const std::string& path, std::uint64_t real_size);
// A member with no data of tar type `type`: '1' hard link or '2' symbolic link (to `link`),
// '3' character device, '5' directory, '6' FIFO.
[[nodiscard]] std::string
tar_special_member(const std::string& path, char type, const std::string& link = {});
// The two zero blocks that end an archive.
[[nodiscard]] std::string tar_end();
// Members in order, then the end blocks.
[[nodiscard]] std::string
tar_archive(const std::vector<std::pair<std::string, std::string>>& members);

} // namespace pbk::test
