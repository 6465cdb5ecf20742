// Reward amounts (reward.hpp).
#include "reward.hpp"

#include <algorithm>

#include "error.hpp"

namespace credits::core {

int128 reward_amount(const RewardRule& rule, std::optional<int128> base, int128 given) {
    bool has_percent = rule.percent.digits != "0";
    if (has_percent && !base)
        throw Error(sqlstate::kNullValue,
                    "this reward rule gives a percent and needs a base_amount");
    if (base && *base < 0)
        throw Error(sqlstate::kInvalidParameter, "base_amount must not be negative");
    int128 owed = rule.fixed_credits;
    if (has_percent)
        owed = add(owed, percent_of(*base, rule.percent, rule.digits, RoundMode::HalfUp));
    if (rule.cap)
        owed = std::min(owed, subtract(*rule.cap, given));
    return owed;
}

} // namespace credits::core

#include "no_postgres.hpp" // last: fails the build if a PostgreSQL header came in
