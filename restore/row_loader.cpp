// SPDX-License-Identifier: MIT
// Warnings are checked after every statement, because the server keeps only the last
// statement's warnings. The INSERT path builds each row's tuple first so that a batch is
// sent before a row would push it past k_batch_bytes: a statement then never exceeds the
// larger of the batch size and its single row, which preflight compares to max_allowed_packet.
#include "restore/row_loader.hpp"

#include "core/error.hpp"
#include "core/rowcodec/row_decoder.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace pbk::restore {

namespace {

constexpr std::size_t k_read_chunk = std::size_t{1} << 20;

bool is_on(const std::optional<std::string>& value) {
  if (!value) {
    return false;
  }
  std::string lower = *value;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return lower == "1" || lower == "on";
}

} // namespace

LoadMethod choose_load_method(core::db::Connection& db) {
  return is_on(db.query_value("SELECT @@local_infile")) ? LoadMethod::load_data_local
                                                        : LoadMethod::insert_batches;
}

RowLoader::RowLoader(core::db::Connection& db, LoadMethod method)
    : m_db(db),
      m_method(method) {}

std::uint64_t RowLoader::load(const std::string& database,
                              const std::string& table,
                              core::io::ByteSource& tsv,
                              const std::string& label) {
  const std::string target = core::db::Connection::quote_identifier(database) + "."
                             + core::db::Connection::quote_identifier(table);
  const std::string name = database + "." + table;
  if (m_method == LoadMethod::insert_batches) {
    return insert_batches(target, tsv, label, name);
  }
  const std::uint64_t rows = load_data(target, tsv);
  check_warnings(label, name);
  return rows;
}

std::uint64_t RowLoader::load_data(const std::string& target, core::io::ByteSource& tsv) {
  // The defaults of LOAD DATA (TAB, LF, backslash escapes, \N) are exactly RowEncoder's format.
  return m_db.load_data_local(
      "LOAD DATA LOCAL INFILE 'rows' INTO TABLE " + target + " CHARACTER SET binary", tsv);
}

std::uint64_t RowLoader::insert_batches(const std::string& target,
                                        core::io::ByteSource& tsv,
                                        const std::string& label,
                                        const std::string& name) {
  const std::string head = "INSERT INTO " + target + " VALUES ";
  std::string sql = head;
  std::string tuple;
  std::size_t batch_rows = 0;
  const auto send = [&] {
    m_db.execute(sql);
    check_warnings(label, name);
    sql = head;
    batch_rows = 0;
  };
  core::rowcodec::RowDecoder decoder(
      [&](std::span<const std::optional<std::string_view>> fields) {
        tuple = "(";
        for (std::size_t i = 0; i < fields.size(); ++i) {
          if (i > 0) {
            tuple += ',';
          }
          tuple += fields[i] ? m_db.quote(*fields[i]) : std::string("NULL");
        }
        tuple += ')';
        if (batch_rows > 0 && sql.size() + 1 + tuple.size() > k_batch_bytes) {
          send();
        }
        if (batch_rows > 0) {
          sql += ',';
        }
        sql += tuple;
        ++batch_rows;
      },
      label);
  std::vector<std::byte> buffer(k_read_chunk);
  for (;;) {
    const std::size_t n = tsv.read(buffer);
    if (n == 0) {
      break;
    }
    decoder.write(std::span(buffer).first(n));
  }
  decoder.finish();
  if (batch_rows > 0) {
    send();
  }
  return decoder.rows();
}

void RowLoader::check_warnings(const std::string& label, const std::string& name) {
  if (m_db.warning_count() == 0) {
    return;
  }
  const auto warnings = m_db.warnings(1);
  const std::string first = warnings.empty() ? "(warning not available)" : warnings.front();
  throw core::IntegrityError(label + ": the server changed data while loading " + name + ": "
                             + first);
}

} // namespace pbk::restore
