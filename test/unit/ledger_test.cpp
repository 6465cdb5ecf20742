// Unit tests of the burn order, the planner and the account model.
#include <gtest/gtest.h>

#include <random>

#include "account.hpp"
#include "pool.hpp"

using namespace credits::core;

namespace {
int128 c(const char* text) {
    return parse_amount(text);
}
OpenGrant grant(int64_t id, const char* remaining, int32_t priority = 50, int64_t expires = kNever,
                int32_t rank = 30, int64_t effective = 0) {
    return OpenGrant{id, parse_amount(remaining), priority, effective, expires, rank};
}
} // namespace

TEST(BurnOrder, EachKeyInTurn) {
    // priority first
    EXPECT_TRUE(burns_before(grant(9, "1", 10), grant(1, "1", 20)));
    // then expiry, never last
    EXPECT_TRUE(burns_before(grant(9, "1", 50, 100), grant(1, "1", 50, 200)));
    EXPECT_TRUE(burns_before(grant(9, "1", 50, 100), grant(1, "1", 50, kNever)));
    // then the kind's rank
    EXPECT_TRUE(burns_before(grant(9, "1", 50, 100, 10), grant(1, "1", 50, 100, 30)));
    // then effective_at, then id
    EXPECT_TRUE(burns_before(grant(9, "1", 50, 100, 10, 5), grant(1, "1", 50, 100, 10, 6)));
    EXPECT_TRUE(burns_before(grant(1, "1", 50, 100, 10, 5), grant(2, "1", 50, 100, 10, 5)));
    EXPECT_FALSE(burns_before(grant(2, "1"), grant(2, "1")));
}

TEST(Planner, DrainsInOrderSkipsDeadGrants) {
    std::vector<OpenGrant> gs = {
        grant(1, "10", 50, kNever),          // never expires: last
        grant(2, "5", 50, 1000),             // expires first
        grant(3, "7", 50, 2000),             // then this
        grant(4, "100", 50, 10, 30, 0),      // expired at t=500
        grant(5, "100", 50, kNever, 30, 600) // not yet effective at t=500
    };
    int128 uncovered;
    auto plan = plan_burn(gs, 500, c("13"), uncovered);
    ASSERT_EQ(plan.size(), 3u);
    EXPECT_EQ(gs[plan[0].index].id, 2);
    EXPECT_EQ(plan[0].amount, c("5"));
    EXPECT_EQ(gs[plan[1].index].id, 3);
    EXPECT_EQ(plan[1].amount, c("7"));
    EXPECT_EQ(gs[plan[2].index].id, 1);
    EXPECT_EQ(plan[2].amount, c("1"));
    EXPECT_EQ(uncovered, 0);
    plan_burn(gs, 500, c("30"), uncovered);
    EXPECT_EQ(uncovered, c("8"));
}

TEST(Account, DebitBurnsThenOverdraftThenRefuses) {
    Account a({grant(1, "10"), grant(2, "5", 50, 1000)}, 0);
    std::vector<PoolLevel> alone = {{&a, std::nullopt, 0}};
    int128 available = 0;
    EXPECT_FALSE(debit(alone, c("18.000000001"), c("3"), 0, available));
    EXPECT_EQ(available, c("18")); // 15 live, 3 of overdraft
    EXPECT_TRUE(a.movements().empty());
    EXPECT_TRUE(debit(alone, c("17"), c("3"), 0, available));
    ASSERT_EQ(a.movements().size(), 3u);
    EXPECT_EQ(a.movements()[0].grant_id, 2); // expires first
    EXPECT_EQ(a.movements()[0].balance_after, c("10"));
    EXPECT_EQ(a.movements()[1].grant_id, 1);
    EXPECT_EQ(a.movements()[2].type, EntryType::Overdraft);
    EXPECT_EQ(a.movements()[2].remaining_after, c("-2"));
    EXPECT_EQ(a.movements()[2].balance_after, c("-2"));
    EXPECT_EQ(a.debt(), c("2"));
    EXPECT_EQ(a.balance(0), c("-2"));
}

TEST(Account, NewGrantRepaysDebtFirst) {
    Account a({}, c("30"));
    a.add_grant(grant(7, "100"), 0);
    ASSERT_EQ(a.movements().size(), 3u);
    EXPECT_EQ(a.movements()[0].type, EntryType::Grant);
    EXPECT_EQ(a.movements()[0].balance_after, c("70"));
    EXPECT_EQ(a.movements()[1].type, EntryType::Repay);
    EXPECT_EQ(a.movements()[1].remaining_after, c("70"));
    EXPECT_EQ(a.movements()[2].grant_id, 0);
    EXPECT_EQ(a.movements()[2].remaining_after, 0);
    EXPECT_EQ(a.balance(0), c("70"));
    EXPECT_EQ(a.debt(), 0);
}

TEST(Account, FutureGrantRepaysWhenItBecomesLive) {
    Account a({}, c("30"));
    a.add_grant(grant(7, "100", 50, kNever, 30, 500), 0); // effective at 500
    EXPECT_EQ(a.movements().size(), 1u);
    EXPECT_EQ(a.balance(0), c("-30"));
    a.advance(0, 1000);
    ASSERT_EQ(a.movements().size(), 3u);
    EXPECT_EQ(a.movements()[1].at, 500);
    EXPECT_EQ(a.balance(1000), c("70"));
}

TEST(Account, ExpiriesInTimeOrderAtTheirInstant) {
    Account a({grant(1, "10", 50, 300), grant(2, "5", 50, 200), grant(3, "1")}, 0);
    a.advance(100, 250);
    ASSERT_EQ(a.movements().size(), 1u);
    EXPECT_EQ(a.movements()[0].grant_id, 2);
    EXPECT_EQ(a.movements()[0].at, 200);
    EXPECT_EQ(a.movements()[0].delta, c("-5"));
    EXPECT_EQ(a.movements()[0].balance_after, c("11"));
    a.advance(250, 300); // expires_at is exclusive: gone at 300
    ASSERT_EQ(a.movements().size(), 2u);
    EXPECT_EQ(a.movements()[1].balance_after, c("1"));
    EXPECT_EQ(a.next_change(300), kNever);
}

TEST(Account, NextChange) {
    Account a({grant(1, "10", 50, 300), grant(2, "5", 50, kNever, 30, 150)}, 0);
    EXPECT_EQ(a.next_change(100), 150);
    EXPECT_EQ(a.next_change(150), 300);
}

TEST(Account, RandomDebitsConserveCredits) {
    std::mt19937_64 rng(3);
    for (int round = 0; round < 200; round++) {
        std::vector<OpenGrant> gs;
        int128 total = 0;
        for (int i = 1; i <= 6; i++) {
            OpenGrant g = grant(i, "0", int32_t(rng() % 3) * 10, 1000 + int64_t(rng() % 5) * 100);
            g.remaining = int128(rng() % 1000 + 1) * 1000000;
            total += g.remaining;
            gs.push_back(g);
        }
        Account a(gs, 0);
        std::vector<PoolLevel> alone = {{&a, std::nullopt, 0}};
        int128 spent = 0, available = 0;
        for (int k = 0; k < 10; k++) {
            int128 amount = int128(rng() % 2000 + 1) * 1000000;
            if (debit(alone, amount, 0, 500, available))
                spent += amount;
        }
        int128 delta = 0;
        for (const auto& m : a.movements())
            delta += m.delta;
        ASSERT_EQ(-delta, spent);
        ASSERT_EQ(a.live_total(500), total - spent);
        for (const auto& g : a.grants())
            ASSERT_GE(g.remaining, 0);
    }
}

TEST(Account, TransferTakesTransferableLotsInBurnOrderNeverOverdraft) {
    OpenGrant promo = grant(1, "5", 50, 100);
    promo.transferable = false;
    Account a({promo, grant(2, "4", 50, 200), grant(3, "10")}, 0);
    EXPECT_FALSE(a.transfer_out(c("14.000000001"), 0)); // the promo lot does not count
    EXPECT_TRUE(a.movements().empty());
    auto taken = a.transfer_out(c("6"), 0);
    ASSERT_TRUE(taken);
    ASSERT_EQ(taken->size(), 2u);
    EXPECT_EQ((*taken)[0], std::make_pair(int64_t{2}, c("4")));
    EXPECT_EQ((*taken)[1], std::make_pair(int64_t{3}, c("2")));
    EXPECT_EQ(a.movements()[0].type, EntryType::Transfer);
    EXPECT_EQ(a.balance(0), c("13"));
}

TEST(Account, VoidRemovesTheRemainderOnly) {
    Account a({grant(1, "10"), grant(2, "3")}, 0);
    EXPECT_EQ(a.void_grant(1, 0), c("10"));
    EXPECT_EQ(a.void_grant(1, 0), 0); // nothing left: no second entry
    ASSERT_EQ(a.movements().size(), 1u);
    EXPECT_EQ(a.movements()[0].type, EntryType::Void);
    EXPECT_EQ(a.movements()[0].delta, c("-10"));
    EXPECT_EQ(a.balance(0), c("3"));
}

TEST(Account, RefundsReturnToLotsAndCancelDebt) {
    Account a({grant(1, "2")}, c("5"));
    EXPECT_EQ(a.cancel_debt(c("3"), 0), c("3"));
    EXPECT_EQ(a.debt(), c("2"));
    EXPECT_EQ(a.cancel_debt(c("9"), 0), c("2")); // never below zero
    // a lot the model did not load (fully burned) comes back
    a.refund(grant(7, "0", 50, 100), c("4"), 0);
    EXPECT_EQ(a.balance(0), c("6"));
    // a dead lot takes the credits and gives them up again
    a.refund(grant(8, "0", 50, 10), c("1"), 20);
    a.remove(8, c("1"), EntryType::Expire, 20);
    EXPECT_EQ(a.balance(20), c("6"));
    EXPECT_THROW(a.remove(8, c("1"), EntryType::Expire, 20), std::logic_error);
    const auto& m = a.movements();
    ASSERT_EQ(m.size(), 5u);
    EXPECT_EQ(m[0].type, EntryType::Refund);
    EXPECT_EQ(m[0].remaining_after, c("-2"));
    EXPECT_EQ(m[4].type, EntryType::Expire);
}

TEST(Account, RefundedCreditsRepayOtherDebt) {
    Account a({}, c("3"));
    a.refund(grant(1, "0"), c("5"), 0);
    a.settle_debt(0);
    EXPECT_EQ(a.debt(), 0);
    EXPECT_EQ(a.balance(0), c("2"));
}

TEST(Account, CaptureBurnsPinnedLotsEvenExpiredAndReturnsTheRest) {
    // lot 2 (5 pinned) expired at 1000; lot 1 (3 pinned) lives on
    Account a({grant(1, "7"), grant(2, "0", 50, 1000)}, 0);
    a.settle_hold({{grant(2, "0", 50, 1000), c("5")}, {grant(1, "7"), c("3")}}, c("6"), 2000);
    const auto& m = a.movements();
    ASSERT_EQ(m.size(), 4u);
    EXPECT_EQ(m[0].type, EntryType::Release);
    EXPECT_EQ(m[1].type, EntryType::Burn); // 5 from the expired lot: never fails
    EXPECT_EQ(m[1].delta, c("-5"));
    EXPECT_EQ(m[2].type, EntryType::Release);
    EXPECT_EQ(m[3].type, EntryType::Burn);
    EXPECT_EQ(m[3].delta, c("-1"));
    EXPECT_EQ(m[3].grant_id, 1);
    EXPECT_EQ(a.balance(2000), c("9")); // 7 + the 2 not captured
    EXPECT_THROW(a.settle_hold({{grant(1, "9"), c("1")}}, c("2"), 2000), std::logic_error);
}

TEST(Account, ReleaseToAnExpiredLotExpiresAtOnce) {
    Account a({grant(2, "0", 50, 1000)}, 0);
    a.settle_hold({{grant(2, "0", 50, 1000), c("5")}}, 0, 2000);
    ASSERT_EQ(a.movements().size(), 2u);
    EXPECT_EQ(a.movements()[1].type, EntryType::Expire);
    EXPECT_EQ(a.balance(2000), 0);
}

TEST(Account, ExpiredHoldsReturnInTimeOrder) {
    // lot 1: 4 free, 6 held by a hold expiring at 100; the lot expires at 300.
    // lot 2: 0 free, 5 held by a hold expiring at 500, after the lot (at 200).
    Account a({grant(1, "4", 50, 300), grant(2, "0", 50, 200)}, 0);
    a.add_return(grant(1, "4", 50, 300), c("6"), 100);
    a.add_return(grant(2, "0", 50, 200), c("5"), 500);
    a.note_hold_expiry(500);
    EXPECT_EQ(a.next_change(0), 100);
    a.advance(0, 150);
    EXPECT_EQ(a.balance(150), c("10")); // the first hold's credits are back
    a.advance(150, 600);
    const auto& m = a.movements();
    // release 6 at 100; lot 1 expires with 10 at 300; lot 2's credits return
    // at 500 to a lot dead since 200 and expire at once
    ASSERT_EQ(m.size(), 4u);
    EXPECT_EQ(m[0].type, EntryType::Release);
    EXPECT_EQ(m[0].at, 100);
    EXPECT_EQ(m[1].type, EntryType::Expire);
    EXPECT_EQ(m[1].delta, c("-10"));
    EXPECT_EQ(m[1].at, 300);
    EXPECT_EQ(m[2].type, EntryType::Release);
    EXPECT_EQ(m[2].at, 500);
    EXPECT_EQ(m[3].type, EntryType::Expire);
    EXPECT_EQ(m[3].at, 500);
    EXPECT_EQ(a.balance(600), 0);
}
