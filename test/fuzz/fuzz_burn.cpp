// libFuzzer target: the burn planner against a brute-force oracle that scans
// for the first live grant in the documented order (priority, expiry with
// never last, the kind's rank, effective_at, id) and drains it, again and
// again; and the account model's debit against the same oracle.
#include <cstdlib>
#include <tuple>
#include <vector>

#include "account.hpp"
#include "burn_order.hpp"
#include "fuzz_input.hpp"

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

    // the account model burns the same way (no debt, no overdraft)
    int128 live = 0;
    for (const OpenGrant& g : grants)
        if (is_live(g, t))
            live += g.remaining;
    Account account(grants, 0);
    bool ok = account.debit(amount, 0, t);
    if (ok != (expected_uncovered == 0))
        std::abort();
    if (ok && account.live_total(t) != live - amount)
        std::abort();
    if (!ok && (!account.movements().empty() || account.live_total(t) != live))
        std::abort(); // a refused debit changes nothing
    return 0;
}
