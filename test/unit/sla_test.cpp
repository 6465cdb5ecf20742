// Unit tests of uptime measurement and SLA tier schedules.
#include <gtest/gtest.h>

#include "error.hpp"
#include "sla.hpp"

using namespace credits::core;

namespace {
constexpr int64_t kMinute = 60LL * 1000000;
constexpr int64_t kMonth = 30LL * 24 * 60 * kMinute; // a 30-day month
std::string up(std::vector<Span> outages, std::vector<Span> excluded = {}, int64_t min = 0) {
    return uptime_percent(measure_uptime({0, kMonth}, outages, excluded, min));
}
SlaTier tier(const char* lower, bool li, const char* upper, bool ui, const char* pct) {
    SlaTier t;
    if (lower)
        t.lower = parse_decimal(lower);
    t.lower_inclusive = li;
    if (upper)
        t.upper = parse_decimal(upper);
    t.upper_inclusive = ui;
    t.credit_percent = parse_decimal(pct);
    return t;
}
// AWS RDS Multi-AZ: < 99.95 and >= 99.0: 10%; < 99.0 and >= 95.0: 25%; < 95.0: 100%
SlaPolicy rds() {
    SlaPolicy p;
    p.tiers = {tier("99.0", true, "99.95", false, "10"), tier("95.0", true, "99.0", false, "25"),
               tier(nullptr, true, "95.0", false, "100")};
    p.cap_percent = parse_decimal("100");
    return p;
}
// GitHub (older terms): <= 99.9 and > 99.0: 10%; < 99.0: 25% (99.0 itself is in no tier)
SlaPolicy github() {
    SlaPolicy p;
    p.tiers = {tier("99.0", false, "99.9", true, "10"), tier(nullptr, true, "99.0", false, "25")};
    p.cap_percent = parse_decimal("100");
    return p;
}
std::string credit(const char* fee, const char* uptime, const SlaPolicy& p, int digits = 2) {
    char buf[kMaxTextLength];
    format_amount(
        sla_credit(parse_amount(fee), parse_decimal(uptime), p, digits, RoundMode::HalfUp), buf);
    return buf;
}
std::string sqlstate_of(const char* uptime, const SlaPolicy& p) {
    try {
        credit("100", uptime, p);
    } catch (const Error& e) {
        return e.sqlstate();
    }
    return "";
}
} // namespace

TEST(Uptime, MergedClippedExcluded) {
    EXPECT_EQ(up({}), "100");
    // 21.6 minutes down in 30 days: 99.95% exactly
    EXPECT_EQ(up({{kMinute, kMinute + 216 * kMinute / 10}}), "99.95");
    // overlapping outages count once
    EXPECT_EQ(up({{0, 30 * kMinute},
                  {10 * kMinute, 43 * kMinute},
                  {43 * kMinute, 43 * kMinute + 12 * kMinute / 10}}),
              up({{0, 44 * kMinute + 2 * kMinute / 10}}));
    // outages crossing the period's edges are clipped
    EXPECT_EQ(up({{-100 * kMinute, 432 * kMinute / 10}}), "99.9");
    EXPECT_EQ(up({{kMonth - 432 * kMinute / 10, kMonth + 100 * kMinute}}), "99.9");
    // excluded windows are removed from the downtime
    EXPECT_EQ(up({{0, 60 * kMinute}}, {{0, 30 * kMinute}, {50 * kMinute, 70 * kMinute}}),
              up({{30 * kMinute, 50 * kMinute}}));
    // outages shorter than min_outage are ignored
    EXPECT_EQ(up({{0, 59 * 1000000}, {kMinute * 10, kMinute * 12}}, {}, kMinute),
              up({{kMinute * 10, kMinute * 12}}));
    EXPECT_EQ(up({{0, kMonth}}), "0");
}

TEST(Uptime, Errors) {
    EXPECT_THROW(measure_uptime({5, 5}, {}, {}, 0), Error);
    EXPECT_THROW(measure_uptime({INT64_MIN, 5}, {}, {}, 0), Error);
    EXPECT_THROW(measure_uptime({0, 5}, {}, {}, -1), Error);
}

TEST(Tiers, BoundariesOnBothSides) {
    SlaPolicy p = rds();
    EXPECT_EQ(credit("200", "99.95", p), "0"); // the commitment is met exactly
    EXPECT_EQ(credit("200", "99.99", p), "0");
    EXPECT_EQ(credit("200", "99.949", p), "20");    // just below: 10%
    EXPECT_EQ(credit("200", "99.0", p), "20");      // lower bound inclusive
    EXPECT_EQ(credit("200", "98.999999", p), "50"); // 25%
    EXPECT_EQ(credit("200", "95", p), "50");
    EXPECT_EQ(credit("200", "94.99", p), "200");
    EXPECT_EQ(credit("200", "0", p), "200");
}

TEST(Tiers, GapsAreErrors) {
    SlaPolicy p = github();
    EXPECT_EQ(credit("100", "99.9", p), "10"); // upper bound inclusive
    EXPECT_EQ(credit("100", "99.91", p), "0");
    EXPECT_EQ(credit("100", "99.000001", p), "10");
    EXPECT_EQ(credit("100", "98.99", p), "25");
    EXPECT_EQ(sqlstate_of("99.0", p), "22023"); // exactly 99.0 falls in no tier
}

TEST(Tiers, CapAndMinimum) {
    SlaPolicy p = rds();
    p.cap_percent = parse_decimal("30");
    EXPECT_EQ(credit("200", "90", p), "60"); // 100% capped at 30%
    p.min_credit = parse_amount("25");
    EXPECT_EQ(credit("200", "99.5", p), "0"); // 20 is below the minimum
    EXPECT_EQ(credit("200", "97", p), "50");
    EXPECT_EQ(credit("33.33", "99.5", rds()), "3.33");
    EXPECT_EQ(credit("33.35", "99.5", rds()), "3.34"); // 3.335 half up
}

TEST(Tiers, ResultOutOfRangeIsAnError) {
    SlaPolicy p = rds();
    p.tiers[2].credit_percent = parse_decimal("300");
    p.cap_percent = parse_decimal("300");
    try {
        sla_credit(kMaxRaw, parse_decimal("90"), p, 2, RoundMode::HalfUp);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.sqlstate(), "22003");
    }
}

TEST(Tiers, Validation) {
    EXPECT_NO_THROW(validate_tiers(rds().tiers));
    EXPECT_NO_THROW(validate_tiers(github().tiers));
    EXPECT_THROW(validate_tiers({}), Error);
    // overlapping: [99, 99.95) and [99.5, 100)
    EXPECT_THROW(validate_tiers({tier("99", true, "99.95", false, "10"),
                                 tier("99.5", true, "100", false, "5")}),
                 Error);
    // touching at an inclusive bound on both sides overlaps
    EXPECT_THROW(validate_tiers(
                     {tier("99", true, "99.5", true, "10"), tier("99.5", true, "100", false, "5")}),
                 Error);
    EXPECT_NO_THROW(validate_tiers(
        {tier("99", true, "99.5", false, "10"), tier("99.5", true, "100", false, "5")}));
    EXPECT_THROW(validate_tiers({tier("99.5", true, "99", false, "10")}), Error);
    EXPECT_THROW(validate_tiers({tier("99", true, "99.5", false, "-1")}), Error);
    EXPECT_THROW(parse_decimal("NaN"), Error);
}

TEST(Tiers, UptimeOutsideAPercentageIsAnError) {
    EXPECT_THROW(credit("100", "-0.001", rds()), Error);
    EXPECT_THROW(credit("100", "100.0001", rds()), Error);
    EXPECT_THROW(credit("100", "250", rds()), Error);
    EXPECT_EQ(credit("100", "100", rds()), "0");
    EXPECT_EQ(credit("100", "0", rds()), "100");
}

TEST(Sla, PercentOf) {
    auto pct = [](const char* amount, const char* percent, int digits, RoundMode mode) {
        char buf[kMaxTextLength];
        format_amount(percent_of(parse_amount(amount), parse_decimal(percent), digits, mode), buf);
        return std::string(buf);
    };
    EXPECT_EQ(pct("300", "10", 2, RoundMode::HalfUp), "30");
    EXPECT_EQ(pct("0.05", "50", 2, RoundMode::HalfUp), "0.03");
    EXPECT_EQ(pct("0.05", "50", 2, RoundMode::HalfEven), "0.02");
    EXPECT_EQ(pct("100", "-25", 2, RoundMode::HalfUp), "-25");
    EXPECT_EQ(pct("1", "0.0000000001", 9, RoundMode::Up), "0.000000001");
}
