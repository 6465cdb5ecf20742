// Reward rules: what a loyalty, referral or renewal rule gives.
#pragma once

#include <optional>

#include "amount.hpp"
#include "sla.hpp"

namespace credits::core {

// A reward rule's arithmetic: percent of a base amount plus fixed credits,
// at most `cap` per account in the rule's period.
struct RewardRule {
    Decimal percent;
    int128 fixed_credits = 0;
    int digits = 2;
    std::optional<int128> cap; // none: no cap
};

// base x percent / 100 rounded half up to the rule's digits (once, exactly),
// plus the fixed credits, reduced to what the cap leaves after `given`;
// 0 or less means nothing is left to give. 22004 when the rule has a
// percent and there is no base, 22023 for a negative base.
int128 reward_amount(const RewardRule& rule, std::optional<int128> base, int128 given);

} // namespace credits::core
