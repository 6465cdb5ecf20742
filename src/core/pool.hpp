// Pooled accounts: a child account draws on its ancestors' credits (a team
// sharing its company's allocation). THE order a pooled debit or hold takes
// credits in: the account's own live lots, then its parent's, then the
// grandparent's, each in burn order, within the pool limits.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "account.hpp"

namespace credits::core {

// One account of a pool chain.
struct PoolLevel {
    Account* account;
    // Its pool_limit: what it may draw from the accounts above it in total
    // (none: no cap), and what it has drawn so far.
    std::optional<int128> limit;
    int128 drawn = 0;
};

// What a draw took: per level (as in the chain), the lots and amounts.
struct PoolDraw {
    std::vector<std::vector<std::pair<int64_t, int128>>> lots;
    int128 uncovered = 0; // what the chain's live credits could not give
};

// Takes up to `amount` at t for levels[0] from its own live credits, then
// from each ancestor (levels[1..], nearest first). Drawing y from level i
// needs headroom y under the limit of every level below i and adds y to
// their `drawn`. `type` is the movement type (Burn, Hold). With `apply`
// false nothing changes: the result says what a draw would take.
PoolDraw draw_from_pool(std::vector<PoolLevel>& levels, int128 amount, int64_t t, EntryType type,
                        bool apply);

// Takes `amount` at t for levels[0] as `type` movements: its own live
// credits, its pool's (draw_from_pool), then up to `headroom` of overdraft
// debt (a debit's; a hold has none). Nothing, changing nothing, when that
// does not cover it: `available` then receives the most it could take.
std::optional<PoolDraw> take_from_pool(std::vector<PoolLevel>& levels, int128 amount,
                                       int128 headroom, int64_t t, EntryType type,
                                       int128& available);

// A debit of `amount` at t for levels[0] (a lone account: the only level):
// take_from_pool with Burn movements and the account's overdraft headroom
// under `overdraft_limit`.
std::optional<PoolDraw> debit(std::vector<PoolLevel>& levels, int128 amount, int128 overdraft_limit,
                              int64_t t, int128& available);

} // namespace credits::core
