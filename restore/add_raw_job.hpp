// SPDX-License-Identifier: MIT
// `restore ARCHIVE --add-raw [--raw-since DATE | --raw-days N]`: brings raw tables a selective
// restore left out (or Postal's retention dropped) back from the archive into the running
// install, and nothing else. Guarded like every restore: the archive authenticated first, the
// restore lock and journal, the tables asked for loaded by the staging loader (with the
// archive's `messages` and `raw_message_sizes`, which say what to re-link) into staging
// databases while the whole archive is verified, then the two all-or-nothing steps of
// restore/raw_return.hpp. A raw table already live is never overwritten: it is skipped and
// named.
#pragma once

#include "postal/release_catalog.hpp"

#include "core/crypto/secret_bytes.hpp"
#include "core/db/connection_options.hpp"
#include "core/reporter.hpp"
#include "restore/journal.hpp"
#include "restore/raw_return.hpp"
#include "restore/raw_selection.hpp"
#include "restore/row_loader.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pbk::restore {

struct AddRawOptions {
  std::string archive; // a file: a pipe's manifest would come after its data
  core::db::ConnectionOptions connection;
  std::string main_db = "postal";
  std::string message_db_prefix = "postal";
  std::vector<std::string> only; // --databases (names as in the archive); empty: all
  RawSelection raw;              // the days the install should hold; Kind::none is refused
  postal::ReleaseCatalog catalog;
  std::string tool_version;
  unsigned lock_wait_seconds = 30;
  unsigned workers = 4;
  std::optional<LoadMethod> load_method;
  std::optional<core::crypto::SecretBytes> secret;
  std::optional<std::filesystem::path> public_key;
  bool dry_run = false; // every check, then what would be brought back; nothing written
};

// A raw table brought back (or, in a dry run, that would be), with its size from the manifest.
struct AddedTable {
  std::string database; // live name
  std::string table;
  std::uint64_t stored_bytes = 0;
  std::uint64_t raw_bytes = 0;
  std::uint64_t rows = 0;
};

struct AddRawOutcome {
  bool dry_run = false;
  std::string id; // the journal's; empty when nothing was to be brought back
  std::vector<AddedTable> added;
  std::vector<JournalRawTable> already_live; // asked for, but live: left exactly as they are
  RelinkCounts counts;                       // zero in a dry run
  std::vector<std::string> warnings;
  double seconds = 0;
};

[[nodiscard]] AddRawOutcome run_add_raw(const AddRawOptions& options, core::Reporter& reporter);

} // namespace pbk::restore
