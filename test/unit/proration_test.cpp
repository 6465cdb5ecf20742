// Unit tests of proration: every basis, boundaries, leap years, daylight
// saving, month-end anchors, chained changes, and properties over random input.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "civil.hpp"
#include "error.hpp"
#include "proration.hpp"

using namespace credits::core;

namespace {

// A PostgreSQL timestamp for a UTC civil time.
int64_t at(int64_t y, unsigned m, unsigned d, int hh = 0, int mm = 0) {
    return (days_from_civil(y, m, d) - kPgEpochUnixSeconds / 86400) * kMicrosPerDay +
           (int64_t(hh) * 3600 + mm * 60) * 1000000;
}
Instant utc(int64_t t) {
    return {t, t};
}
// An instant whose local wall clock is `offset_hours` from UTC.
Instant zoned(int64_t local, int offset_hours) {
    return {local - int64_t(offset_hours) * 3600 * 1000000, local};
}
std::string text(int128 v) {
    char buf[kMaxTextLength];
    format_amount(v, buf);
    return buf;
}
std::string pr(const char* amount, Basis b, Instant s, Instant e, Instant c, int digits = 2,
               RoundMode m = RoundMode::HalfUp) {
    return text(prorate(parse_amount(amount), unused_fraction(b, s, e, c), digits, m));
}
std::string sqlstate_of(Basis b, Instant s, Instant e, Instant c) {
    try {
        unused_fraction(b, s, e, c);
    } catch (const Error& err) {
        return err.sqlstate();
    }
    return "";
}
const Basis kAll[] = {Basis::Second, Basis::Day, Basis::Actual360, Basis::Thirty360};

} // namespace

TEST(Proration, WorkedExamples) {
    // 500 -> 300 at the midpoint of April 2025
    Instant s = utc(at(2025, 4, 1)), e = utc(at(2025, 5, 1)), c = utc(at(2025, 4, 16));
    EXPECT_EQ(pr("500", Basis::Second, s, e, c), "250");
    EXPECT_EQ(pr("300", Basis::Second, s, e, c), "150");
    // January 2025, change Jan 16 00:00: f = 16/31
    s = utc(at(2025, 1, 1)), e = utc(at(2025, 2, 1)), c = utc(at(2025, 1, 16));
    EXPECT_EQ(pr("500", Basis::Second, s, e, c), "258.06");
    EXPECT_EQ(pr("300", Basis::Second, s, e, c), "154.84");
    EXPECT_EQ(pr("500", Basis::Day, s, e, c), "258.06");
    // 10 -> 15 seats at 12.00, 10 of 30 days left
    s = utc(at(2025, 6, 1)), e = utc(at(2025, 7, 1)), c = utc(at(2025, 6, 21));
    EXPECT_EQ(pr("120", Basis::Day, s, e, c), "40");
    EXPECT_EQ(pr("180", Basis::Day, s, e, c), "60");
}

TEST(Proration, ZuoraRatioTable) {
    auto f = [](Basis b, Instant s, Instant e, Instant c) {
        Fraction x = unused_fraction(b, s, e, c);
        return std::to_string(x.num) + "/" + std::to_string(x.den);
    };
    // used 2021-01-27 .. 2021-01-31: the unused part of a period ending Feb 1
    Instant s = utc(at(2021, 1, 1)), e = utc(at(2021, 2, 1)), c = utc(at(2021, 1, 27));
    EXPECT_EQ(f(Basis::Day, s, e, c), "5/31");
    EXPECT_EQ(f(Basis::Actual360, s, e, c), "5/30");
    EXPECT_EQ(f(Basis::Thirty360, s, e, c), "4/30");
    s = utc(at(2021, 2, 1)), e = utc(at(2021, 3, 1)), c = utc(at(2021, 2, 27));
    EXPECT_EQ(f(Basis::Day, s, e, c), "2/28");
    EXPECT_EQ(f(Basis::Actual360, s, e, c), "2/30");
    EXPECT_EQ(f(Basis::Thirty360, s, e, c), "4/30");
    s = utc(at(2020, 2, 1)), e = utc(at(2020, 3, 1)), c = utc(at(2020, 2, 1));
    // a change at the very start leaves the whole period: 1/1 on every basis
    EXPECT_EQ(f(Basis::Actual360, s, e, c), "1/1");
    c = utc(at(2020, 2, 1, 12));
    EXPECT_EQ(f(Basis::Day, s, e, c), "29/29");
    EXPECT_EQ(f(Basis::Actual360, s, e, c), "29/30");
    EXPECT_EQ(f(Basis::Thirty360, s, e, c), "30/30");
}

TEST(Proration, Boundaries) {
    Instant s = utc(at(2025, 4, 1)), e = utc(at(2025, 5, 1));
    for (Basis b : kAll) {
        EXPECT_EQ(pr("99.99", b, s, e, s), "99.99") << int(b);
        EXPECT_EQ(pr("99.99", b, s, e, e), "0") << int(b);
        EXPECT_EQ(sqlstate_of(b, s, e, utc(at(2025, 3, 31))), "22023");
        EXPECT_EQ(sqlstate_of(b, s, e, utc(at(2025, 5, 1, 0, 1))), "22023");
        EXPECT_EQ(sqlstate_of(b, e, s, s), "22023");
        EXPECT_EQ(sqlstate_of(b, s, s, s), "22023");
    }
    // a day-based basis cannot count a period shorter than a day
    EXPECT_EQ(sqlstate_of(Basis::Day, utc(at(2025, 4, 1, 1)), utc(at(2025, 4, 1, 5)),
                          utc(at(2025, 4, 1, 2))),
              "22023");
    EXPECT_EQ(sqlstate_of(Basis::Second, utc(at(2025, 4, 1, 1)), utc(at(2025, 4, 1, 5)),
                          utc(at(2025, 4, 1, 2))),
              "");
    EXPECT_THROW(parse_basis("hours"), Error);
}

TEST(Proration, LeapYears) {
    // February: 29 days in 2024, 28 in 2025
    EXPECT_EQ(pr("29", Basis::Day, utc(at(2024, 2, 1)), utc(at(2024, 3, 1)), utc(at(2024, 2, 2))),
              "28");
    EXPECT_EQ(pr("28", Basis::Day, utc(at(2025, 2, 1)), utc(at(2025, 3, 1)), utc(at(2025, 2, 2))),
              "27");
    // an annual period crossing Feb 29 has 366 days
    Fraction f = unused_fraction(Basis::Day, utc(at(2024, 1, 1)), utc(at(2025, 1, 1)),
                                 utc(at(2024, 12, 31)));
    EXPECT_EQ(f.den, 366);
    EXPECT_EQ(f.num, 1);
    f = unused_fraction(Basis::Second, utc(at(2023, 6, 1)), utc(at(2024, 6, 1)),
                        utc(at(2024, 5, 31)));
    EXPECT_EQ(f.den, 366LL * kMicrosPerDay);
    EXPECT_EQ(days_360(days_from_civil(2024, 1, 1), days_from_civil(2025, 1, 1)), 360);
}

TEST(Proration, DaylightSaving) {
    // March 2025 in New York: -5h until Mar 9, -4h after; the month is 743 hours.
    Instant s = zoned(at(2025, 3, 1), -5), e = zoned(at(2025, 4, 1), -4);
    Instant c = zoned(at(2025, 3, 16), -4);
    Fraction sec = unused_fraction(Basis::Second, s, e, c);
    EXPECT_EQ(sec.den, 743LL * 3600 * 1000000);
    EXPECT_EQ(sec.num, 16LL * 24 * 3600 * 1000000);
    Fraction day = unused_fraction(Basis::Day, s, e, c);
    EXPECT_EQ(day.num, 16);
    EXPECT_EQ(day.den, 31);
    // November 2025: 30 days and one hour
    s = zoned(at(2025, 11, 1), -4), e = zoned(at(2025, 12, 1), -5);
    Instant mid = zoned(at(2025, 11, 16), -5);
    EXPECT_EQ(unused_fraction(Basis::Second, s, e, mid).den, 721LL * 3600 * 1000000);
    EXPECT_EQ(unused_fraction(Basis::Day, s, e, mid).den, 30);
}

TEST(Proration, MonthEndAnchors) {
    // anchored on the 31st: Jan 31 -> Feb 28 (28 days) -> Mar 31 (31 days)
    EXPECT_EQ(unused_fraction(Basis::Day, utc(at(2025, 1, 31)), utc(at(2025, 2, 28)),
                              utc(at(2025, 2, 14)))
                  .den,
              28);
    EXPECT_EQ(
        unused_fraction(Basis::Day, utc(at(2025, 2, 28)), utc(at(2025, 3, 31)), utc(at(2025, 3, 1)))
            .den,
        31);
}

TEST(Proration, RoundingModes) {
    // 100 x 1/8 = 12.5 at 0 digits
    Instant s = utc(at(2025, 1, 1)), e = utc(at(2025, 1, 9)), c = utc(at(2025, 1, 8));
    EXPECT_EQ(pr("100", Basis::Day, s, e, c, 0, RoundMode::HalfUp), "13");
    EXPECT_EQ(pr("100", Basis::Day, s, e, c, 0, RoundMode::HalfEven), "12");
    EXPECT_EQ(pr("100", Basis::Day, s, e, c, 0, RoundMode::Down), "12");
    EXPECT_EQ(pr("-100", Basis::Day, s, e, c, 0, RoundMode::HalfUp), "-13");
    EXPECT_EQ(pr("-100", Basis::Day, s, e, c, 0, RoundMode::Floor), "-13");
    EXPECT_EQ(pr("100", Basis::Day, s, e, c, 9, RoundMode::HalfUp), "12.5");
}

TEST(Proration, ChainedChangesDoNotDrift) {
    // Three changes at thirds of a period; lines rounded one by one would
    // drift, lines taken from the rounded cumulative total do not.
    Fraction third{2, 3}, two_thirds{1, 3}, end{0, 3};
    std::vector<PlanChange> chain;
    int128 issued = 0;
    std::vector<std::string> lines;
    for (const PlanChange& change :
         {PlanChange{parse_amount("100"), parse_amount("0.01"), third},
          PlanChange{parse_amount("0.01"), parse_amount("100"), two_thirds},
          PlanChange{parse_amount("100"), parse_amount("0.01"), end}}) {
        chain.push_back(change);
        int128 line = cumulative_net(chain, 2, RoundMode::HalfUp) - issued;
        issued += line;
        lines.push_back(text(line));
    }
    EXPECT_EQ(lines, (std::vector<std::string>{"-66.66", "33.33", "0"}));
    EXPECT_EQ(text(issued), "-33.33"); // (99.99 x 1/3) owed: exact -33.33
    // one change alone: the cumulative net is the exact net rounded once
    std::vector<PlanChange> one = {{parse_amount("500"), parse_amount("300"), {16, 31}}};
    EXPECT_EQ(text(cumulative_net(one, 2, RoundMode::HalfUp)), "-103.23");
}

// The lines plan_change_line gives a chain of changes, one after another.
std::vector<std::string> chain_lines(const std::vector<PlanChange>& changes) {
    std::vector<PlanChange> chain;
    std::vector<int128> issued;
    std::vector<std::string> out;
    for (const PlanChange& change : changes) {
        chain.push_back(change);
        int128 line = plan_change_line(chain, issued, 2, RoundMode::HalfUp);
        issued.push_back(line);
        out.push_back(text(line));
    }
    return out;
}

TEST(Proration, PlanChangeLines) {
    Fraction half{1, 2}, quarter{1, 4}, none{0, 4};
    // the lines of the rounded cumulative net, as ChainedChangesDoNotDrift
    EXPECT_EQ(chain_lines({{parse_amount("100"), parse_amount("0.01"), {2, 3}},
                           {parse_amount("0.01"), parse_amount("100"), {1, 3}},
                           {parse_amount("100"), parse_amount("0.01"), {0, 3}}}),
              (std::vector<std::string>{"-66.66", "33.33", "0"}));
    // an upgrade charges, later downgrades credit back at most what was paid:
    // 100 up front, +50 charged at half time; 200 -> 0 at a quarter left would
    // credit 50 more (100 total), within the 150 paid
    EXPECT_EQ(chain_lines({{parse_amount("100"), parse_amount("200"), half},
                           {parse_amount("200"), parse_amount("0"), quarter}}),
              (std::vector<std::string>{"50", "-50"}));
    // credits stop at what was paid: 10 paid, a "downgrade" from a claimed
    // 1000 would credit 500; only 10 is given, then nothing more
    EXPECT_EQ(chain_lines({{parse_amount("10"), parse_amount("10"), half},
                           {parse_amount("1000"), parse_amount("0"), half},
                           {parse_amount("1000"), parse_amount("0"), quarter}}),
              (std::vector<std::string>{"0", "-10", "0"}));
    // a change at period end moves nothing
    EXPECT_EQ(chain_lines({{parse_amount("100"), parse_amount("0"), none}}),
              (std::vector<std::string>{"0"}));
}

TEST(Proration, Properties) {
    std::mt19937_64 rng(11);
    for (int i = 0; i < 5000; i++) {
        int64_t start = at(2020, 1, 1) + int64_t(rng() % (5LL * 365)) * kMicrosPerDay;
        int64_t length =
            (1 + int64_t(rng() % 400)) * kMicrosPerDay + int64_t(rng() % kMicrosPerDay);
        int64_t change = start + int64_t(rng() % uint64_t(length + 1));
        int128 amount = int128(rng() % 100000000) * 10000000;
        Basis b = kAll[rng() % 4];
        Instant s = utc(start), e = utc(start + length), c = utc(change);
        Fraction f = unused_fraction(b, s, e, c);
        ASSERT_GE(f.num, 0);
        ASSERT_LE(f.num, f.den);
        int128 credit = prorate(amount, f, 2, RoundMode::HalfUp);
        ASSERT_LE(credit, amount);
        ASSERT_GE(credit, 0);
        ASSERT_EQ(prorate(amount, unused_fraction(b, s, e, s), 2, RoundMode::HalfUp),
                  prorate(amount, {1, 1}, 2, RoundMode::HalfUp));
        // plan-change lines are consistent with prorate
        std::vector<PlanChange> one = {{amount, amount / 2, f}};
        int128 net = cumulative_net(one, 9, RoundMode::HalfEven);
        int128 exact = prorate(amount / 2, f, 9, RoundMode::HalfEven) -
                       prorate(amount, f, 9, RoundMode::HalfEven);
        ASSERT_LE(net - exact, 1);
        ASSERT_GE(net - exact, -1);
    }
}
