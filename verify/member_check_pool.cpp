// SPDX-License-Identifier: MIT
#include "verify/member_check_pool.hpp"

#include "verify/restorable_check.hpp"

#include "core/error.hpp"
#include "core/hash/hashing_source.hpp"

#include <algorithm>

namespace pbk::verify {
namespace {

// A rows member too large to hand to a worker, hashed and decoded row by row as it streams.
archive::ObservedMember check_rows_streaming(archive::ArchiveScanner& scanner,
                                             const core::tar::TarMember& member,
                                             const archive::MemberOpener& opener,
                                             std::size_t columns) {
  const std::string label = scanner.label() + ": member " + member.path;
  if (static_cast<std::uint64_t>(member.size) > archive::k_max_member_bytes) {
    throw core::IntegrityError(label + " is " + std::to_string(member.size)
                               + " bytes, more than a member may hold");
  }
  core::hash::HashingSource hashing(scanner.member_data());
  const auto contents = check_rows(hashing, member.path, label, opener, columns);
  core::io::drain(hashing);
  return {member.path,
          hashing.bytes(),
          contents.raw_size,
          contents.lines,
          hashing.hex_digest(),
          contents.opened};
}

} // namespace

MemberCheckPool::MemberCheckPool(archive::MemberOpener opener, unsigned workers)
    : m_opener(std::move(opener)),
      m_workers(
          workers, [this](std::size_t) { run_worker(); }, [this] { m_queue.abort(); }) {}

MemberCheckPool::~MemberCheckPool() {
  m_queue.abort(); // the workers' pop() returns; m_workers then joins them
}

archive::ObservedMember MemberCheckPool::submit(archive::ArchiveScanner& scanner,
                                                const core::tar::TarMember& member,
                                                std::size_t index,
                                                std::size_t columns) {
  if (static_cast<std::uint64_t>(member.size) > archive::k_max_buffered_member) {
    return columns > 0 ? check_rows_streaming(scanner, member, m_opener, columns)
                       : observe_member(scanner, member, m_opener);
  }
  auto stored = read_stored_member(scanner, member);
  if (columns > 0) {
    const std::lock_guard lock(m_mutex);
    m_columns[index] = columns;
  }
  archive::ObservedMember observed{member.path, stored.data.size(), 0, 0, std::move(stored.sha256)};
  const std::string label = scanner.label() + ": member " + member.path;
  if (!m_queue.push(
          {index, "", "", member.path, label, std::move(stored.data), archive::MemberBounds{}})) {
    m_workers.rethrow_if_failed();
  }
  return observed;
}

void MemberCheckPool::run_worker() {
  while (auto job = m_queue.pop()) {
    const auto columns = columns_of(job->index);
    const Finding finding{
        job->index,
        columns > 0
            ? check_rows(job->compressed, job->path, job->label, m_opener, columns)
            : observe_contents(
                job->compressed, job->path, job->label, m_opener, archive::k_max_member_raw_bytes)};
    const auto bytes = job->compressed.size();
    job.reset();
    m_queue.done(bytes);
    const std::lock_guard lock(m_mutex);
    m_findings.push_back(finding);
  }
}

std::size_t MemberCheckPool::columns_of(std::size_t index) {
  const std::lock_guard lock(m_mutex);
  const auto found = m_columns.find(index);
  return found == m_columns.end() ? 0 : found->second;
}

void MemberCheckPool::settle(std::vector<archive::ObservedMember>& observed) {
  m_queue.close();
  m_workers.join();
  for (const auto& finding : m_findings) {
    auto& member = observed.at(finding.index);
    member.raw_size = finding.contents.raw_size;
    member.lines = finding.contents.lines;
    member.opened = finding.contents.opened;
  }
}

} // namespace pbk::verify
