// The vouched entries of the insert in progress (vouched.hpp).
#include "vouched.hpp"

#include <stdexcept>

namespace credits::pg {

namespace {

// The scope in force: at most one, for the length of one insert statement.
const std::unordered_map<int64_t, const VouchedEntry*>* in_force = nullptr;

} // namespace

VouchScope::VouchScope(const std::vector<VouchedEntry>& entries) {
    if (in_force != nullptr)
        throw std::logic_error("vouched entries are already in force");
    for (const VouchedEntry& e : entries)
        by_id_[e.fields.id] = &e;
    in_force = &by_id_;
}

VouchScope::~VouchScope() {
    in_force = nullptr;
}

const VouchedEntry* vouched_entry(int64_t id) {
    if (in_force == nullptr)
        return nullptr;
    auto found = in_force->find(id);
    return found == in_force->end() ? nullptr : found->second;
}

} // namespace credits::pg
