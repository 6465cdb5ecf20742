// libFuzzer target: the burn planner against a brute-force oracle that scans
// for the first live grant in the documented order (priority, expiry with
// never last, the kind's rank, effective_at, id) and drains it, again and
// again; and the product's pooled debit (take_from_pool: own lots, a
// parent's within a pool limit, overdraft) against the same oracle per level.
#include <cstdlib>
#include <optional>
#include <tuple>
#include <vector>

#include "account.hpp"
#include "burn_order.hpp"
#include "fuzz_input.hpp"
#include "pool.hpp"

using namespace credits::core;

namespace {

std::tuple<int32_t, int64_t, int32_t, int64_t, int64_t> key(const OpenGrant& g) {
    return {g.priority, g.expires_at, g.burn_rank, g.effective_at, g.id};
}

// What each grant gives, and what is left uncovered, by brute force.
std::vector<int128> oracle(std::vector<OpenGrant> grants, int64_t t, int128 amount,
                           int128& uncovered) {
    std::vector<int128> taken(grants.size(), 0);
    while (amount > 0) {
        int best = -1;
        for (std::size_t i = 0; i < grants.size(); i++)
            if (is_live(grants[i], t) && (best < 0 || key(grants[i]) < key(grants[best])))
                best = int(i);
        if (best < 0)
            break;
        int128 take = grants[best].remaining < amount ? grants[best].remaining : amount;
        grants[best].remaining -= take;
        taken[best] += take;
        amount -= take;
    }
    uncovered = amount;
    return taken;
}

// What a debit took from each of `grants` (in their order), read from the
// account's burn movements.
std::vector<int128> taken_per_grant(const Account& account, const std::vector<OpenGrant>& grants) {
    std::vector<int128> taken(grants.size(), 0);
    for (const Movement& m : account.movements())
        for (std::size_t i = 0; i < grants.size(); i++)
            if (m.type == EntryType::Burn && m.grant_id == grants[i].id)
                taken[i] -= m.delta;
    return taken;
}

// The live credits of `grants` at t.
int128 live_total(const std::vector<OpenGrant>& grants, int64_t t) {
    int128 live = 0;
    for (const OpenGrant& g : grants)
        if (is_live(g, t))
            live += g.remaining;
    return live;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    credits::fuzz::Input in(data, size);
    std::size_t n = in.below(9);
    std::vector<OpenGrant> grants;
    for (std::size_t i = 0; i < n; i++) {
        OpenGrant g;
        g.id = int64_t(in.below(6)) * 10 + int64_t(i); // ids unique, in any order
        g.remaining = int128(in.below(1000)) * (in.byte() & 1 ? 1 : 1000000000);
        g.priority = int32_t(in.below(3)) * 25;
        g.effective_at = int64_t(in.below(4)) * 100;
        uint64_t e = in.below(5);
        g.expires_at = e == 0 ? kNever : g.effective_at + int64_t(e) * 100;
        g.burn_rank = int32_t(in.below(3)) * 10;
        grants.push_back(g);
    }
    int64_t t = int64_t(in.below(8)) * 60;
    int128 amount = 1 + int128(in.below(3000)) * (in.byte() & 1 ? 1 : 1000000000);

    int128 uncovered = 0, expected_uncovered = 0;
    std::vector<Take> plan = plan_burn(grants, t, amount, uncovered);
    std::vector<int128> expected = oracle(grants, t, amount, expected_uncovered);
    std::vector<int128> got(grants.size(), 0);
    for (const Take& take : plan) {
        if (take.index >= grants.size() || take.amount <= 0 || !is_live(grants[take.index], t))
            std::abort();
        got[take.index] += take.amount;
    }
    if (got != expected || uncovered != expected_uncovered)
        std::abort();

    // the product's debit, take_from_pool: the account's own lots, then its
    // parent's within the pool limit, then overdraft headroom; each level
    // against the oracle, and a refused debit changes nothing
    std::vector<OpenGrant> own, above;
    for (const OpenGrant& g : grants)
        (in.byte() & 1 ? above : own).push_back(g);
    std::optional<int128> limit;
    if (in.byte() & 1)
        limit = int128(in.below(2000)) * 500000000;
    int128 headroom = in.byte() & 1 ? int128(in.below(500)) * 1000000000 : 0;
    int128 own_uncovered = 0, above_uncovered = 0;
    std::vector<int128> own_taken = oracle(own, t, amount, own_uncovered);
    int128 room = limit && *limit < own_uncovered ? *limit : own_uncovered;
    std::vector<int128> above_taken = oracle(above, t, room, above_uncovered);
    int128 from_above = room - above_uncovered, short_by = own_uncovered - from_above;

    Account child(own, 0), parent(above, 0);
    std::vector<PoolLevel> levels{{&child, limit, 0}, {&parent, std::nullopt, 0}};
    int128 available = 0;
    std::optional<PoolDraw> draw =
        take_from_pool(levels, amount, headroom, t, EntryType::Burn, available);
    if (draw.has_value() != (short_by <= headroom))
        std::abort();
    if (draw) {
        if (taken_per_grant(child, own) != own_taken ||
            taken_per_grant(parent, above) != above_taken || child.debt() != short_by ||
            levels[0].drawn != from_above)
            std::abort();
    } else {
        int128 above_live = live_total(above, t);
        int128 reachable = limit && *limit < above_live ? *limit : above_live;
        if (!child.movements().empty() || !parent.movements().empty() || levels[0].drawn != 0 ||
            available != live_total(own, t) + reachable + headroom)
            std::abort();
    }
    return 0;
}
