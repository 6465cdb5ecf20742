// Unit tests of rollover: calendar arithmetic and the account model.
#include <gtest/gtest.h>

#include "account.hpp"
#include "pool.hpp"

using namespace credits::core;

namespace {
int128 c(const char* text) {
    return parse_amount(text);
}
// A PostgreSQL timestamp of a UTC date at hh:00.
int64_t at(int64_t y, unsigned m, unsigned d, int64_t hh = 0) {
    return (days_from_civil(y, m, d) - kPgEpochUnixSeconds / 86400) * kMicrosPerDay +
           hh * 3600 * 1000000LL;
}
OpenGrant rolling(int64_t id, const char* remaining, int64_t effective, int64_t expires,
                  const char* max, int32_t again, std::optional<Period> validity = {}) {
    OpenGrant g{id, c(remaining), 50, effective, expires, 30};
    g.rollover = {c(max), validity, again};
    return g;
}
} // namespace

TEST(AddPeriod, MonthsClampToTheMonthsLastDayThenDaysThenTime) {
    EXPECT_EQ(add_period(at(2026, 1, 31, 5), {1, 0, 0}), at(2026, 2, 28, 5));
    EXPECT_EQ(add_period(at(2028, 1, 31), {1, 0, 0}), at(2028, 2, 29));
    EXPECT_EQ(add_period(at(2026, 11, 15), {3, 0, 0}), at(2027, 2, 15));
    EXPECT_EQ(add_period(at(2026, 3, 15), {-3, 0, 0}), at(2025, 12, 15));
    EXPECT_EQ(add_period(at(2026, 1, 31), {1, 1, 3600LL * 1000000}), at(2026, 3, 1, 1));
    EXPECT_EQ(add_period(at(1999, 12, 31, 23), {0, 0, 3600LL * 1000000}), at(2000, 1, 1));
    EXPECT_THROW(add_period(at(2026, 1, 1), {0, 0, kTimestampEnd}), std::overflow_error);
}

TEST(Rollover, ExpiryRollsUpToMaxAndBooksTheRestAsBreakage) {
    int64_t jan = at(2026, 1, 1), feb = at(2026, 2, 1), mar = at(2026, 3, 1);
    Account a({rolling(1, "100", jan, feb, "30", 0, Period{1, 0, 0})}, 0);
    a.advance(jan, feb + 1);
    ASSERT_EQ(a.movements().size(), 3u);
    EXPECT_EQ(a.movements()[0].type, EntryType::Expire);
    EXPECT_EQ(a.movements()[0].delta, c("-70"));
    EXPECT_EQ(a.movements()[1].type, EntryType::Rollover);
    EXPECT_EQ(a.movements()[1].delta, c("-30"));
    EXPECT_EQ(a.movements()[2].type, EntryType::Grant);
    EXPECT_EQ(a.movements()[2].at, feb);
    ASSERT_EQ(a.rolled().size(), 1u);
    const OpenGrant* next = a.grant(a.rolled()[0].id);
    ASSERT_NE(next, nullptr);
    EXPECT_LT(next->id, 0);
    EXPECT_EQ(next->expires_at, mar);
    EXPECT_EQ(next->generation, 1);
    EXPECT_FALSE(next->rollover.max);
    EXPECT_EQ(a.balance(feb + 1), c("30"));
    // the rolled credits may not roll again: they expire at March 1st
    a.advance(feb + 1, mar);
    EXPECT_EQ(a.balance(mar), 0);
    EXPECT_EQ(a.movements().back().type, EntryType::Expire);
    EXPECT_EQ(a.movements().back().delta, c("-30"));
}

TEST(Rollover, SeveralGenerationsInOneAdvanceWithoutValidityKeepTheLength) {
    int64_t d = kMicrosPerDay;
    Account a({rolling(7, "10", 0, 10 * d, "4", 2)}, 0);
    a.advance(0, 100 * d);
    // 10 → 4 (day 10, expires day 20) → 4 (day 30) → 4 (day 40), then breakage
    ASSERT_EQ(a.rolled().size(), 3u);
    EXPECT_EQ(a.grant(a.rolled()[2].id)->expires_at, 40 * d);
    EXPECT_EQ(a.grant(a.rolled()[2].id)->generation, 3);
    EXPECT_EQ(a.rolled()[1].origin, a.rolled()[0].id);
    EXPECT_EQ(a.balance(100 * d), 0);
    int128 expired = 0;
    for (const Movement& m : a.movements())
        if (m.type == EntryType::Expire)
            expired -= m.delta;
    EXPECT_EQ(expired, c("10")); // 6 at day 10, 4 at day 40
    a.assign_id(a.rolled()[0].id, 42);
    EXPECT_EQ(a.rolled()[0].id, 42);
    EXPECT_EQ(a.rolled()[1].origin, 42);
    EXPECT_NE(a.grant(42), nullptr);
}

TEST(Rollover, RolledCreditsRepayDebtAndNoRuleMeansBreakage) {
    Account a({rolling(1, "5", 0, 100, "5", 0), OpenGrant{2, c("3"), 50, 0, 100, 30}}, c("0"));
    std::vector<PoolLevel> alone = {{&a, std::nullopt, 0}};
    int128 available = 0;
    ASSERT_TRUE(debit(alone, c("2"), c("10"), 0, available)); // grant 1 (id order among equals)
    a.advance(0, 100);
    EXPECT_EQ(a.balance(100), c("3")); // grant 1's 3 rolled, grant 2's 3 expired
}

TEST(Rollover, ByHandMovesLiveCreditsOnly) {
    Account a({rolling(1, "10", 0, 100, "10", 2)}, 0);
    int64_t id = a.roll_over(1, c("4"), 500, 50);
    EXPECT_EQ(a.grant(1)->remaining, c("6"));
    EXPECT_EQ(a.grant(id)->remaining, c("4"));
    EXPECT_EQ(a.grant(id)->effective_at, 50);
    EXPECT_EQ(a.grant(id)->rollover.again, 1);
    EXPECT_THROW(a.roll_over(1, c("7"), 500, 50), std::logic_error);
    EXPECT_EQ(a.balance(60), c("10"));
}
