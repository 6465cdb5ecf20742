// THE burn order, and the planner that burns a debit down in it. This is the
// one place that decides which credits a debit uses first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <optional>

#include "amount.hpp"
#include "civil.hpp"

namespace credits::core {

// An expiry that never comes (expires_at NULL or 'infinity').
inline constexpr int64_t kNever = INT64_MAX;

// What a grant carries over when it expires with credits left: up to `max`
// credits move into a new grant of the same kind, priority and cost basis,
// valid for `validity` after the old expiry (none: as long as the old
// grant was valid), whose credits may roll `again` more times (the new
// grant has this rule with again - 1; at 0 it has none).
struct RolloverRule {
    std::optional<int128> max; // none: nothing rolls over
    std::optional<Period> validity;
    int32_t again = 0;
};

// A grant with credits left, as the planner sees it. Times are PostgreSQL
// timestamps (microseconds since 2000-01-01 UTC).
struct OpenGrant {
    int64_t id = 0;
    int128 remaining = 0;
    int32_t priority = 50;
    int64_t effective_at = 0;
    int64_t expires_at = kNever;
    int32_t burn_rank = 0;
    bool transferable = true; // the kind's
    RolloverRule rollover;
    int32_t generation = 0; // how many rollovers its credits went through
};

// Spendable at instant t: effective_at <= t < expires_at, with credits left.
inline bool is_live(const OpenGrant& g, int64_t t) {
    return g.remaining > 0 && g.effective_at <= t && t < g.expires_at;
}

// The burn order: priority ASC, expires_at ASC (never last), the kind's
// burn_rank ASC, effective_at ASC, id ASC.
bool burns_before(const OpenGrant& a, const OpenGrant& b);

// Sorts grants into burn order.
void sort_in_burn_order(std::vector<OpenGrant>& grants);

// One step of a plan: take `amount` from grants[index].
struct Take {
    std::size_t index;
    int128 amount;
};

// Plans how `amount` is burned from the grants live at t: the live grants in
// burn order, each drained before the next is touched. Returns the steps;
// `uncovered` receives what live grants cannot cover.
std::vector<Take> plan_burn(const std::vector<OpenGrant>& grants, int64_t t, int128 amount,
                            int128& uncovered);

} // namespace credits::core
