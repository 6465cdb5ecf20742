// Entries a batch writer hashed itself from rows it holds locked (each
// account's last entry re-read, the operations it has just recorded, the
// grants it read): while it inserts them, the chain trigger takes their hash
// instead of looking up each entry's context again. A row that differs from
// its vouched entry in any field, or any other row, is checked in full.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "journal.hpp"

namespace credits::pg {

// One entry as its writer computed it, with the chain hashes it checked.
struct VouchedEntry {
    core::EntryFields fields; // fields.type points at a static entry type name
    uint8_t prev_hash[core::kHashSize];
    uint8_t hash[core::kHashSize];
};

// Vouches for `entries` (which it does not copy) while it lives: one insert.
class VouchScope {
  public:
    explicit VouchScope(const std::vector<VouchedEntry>& entries);
    ~VouchScope();
    VouchScope(const VouchScope&) = delete;
    VouchScope& operator=(const VouchScope&) = delete;

  private:
    std::unordered_map<int64_t, const VouchedEntry*> by_id_;
};

// The entry vouched for under `id`, or nullptr.
const VouchedEntry* vouched_entry(int64_t id);

} // namespace credits::pg
