// Unit tests of the pooled draw: own credits first, then ancestors, within limits.
#include <gtest/gtest.h>

#include "pool.hpp"

using namespace credits::core;

namespace {
int128 c(const char* text) {
    return parse_amount(text);
}
OpenGrant lot(int64_t id, const char* remaining, int64_t expires = kNever) {
    return OpenGrant{id, parse_amount(remaining), 50, 0, expires, 30};
}
} // namespace

TEST(Pool, OwnCreditsFirstThenNearestAncestor) {
    Account team({lot(1, "3")}, 0), company({lot(2, "10")}, 0), group({lot(3, "100")}, 0);
    std::vector<PoolLevel> levels = {
        {&team, std::nullopt, 0}, {&company, std::nullopt, 0}, {&group, std::nullopt, 0}};
    PoolDraw dry = draw_from_pool(levels, c("20"), 0, EntryType::Burn, false);
    EXPECT_EQ(dry.uncovered, 0);
    EXPECT_TRUE(team.movements().empty()); // a dry run changes nothing
    PoolDraw d = draw_from_pool(levels, c("20"), 0, EntryType::Burn, true);
    ASSERT_EQ(d.lots.size(), 3u);
    EXPECT_EQ(d.lots[0], (std::vector<std::pair<int64_t, int128>>{{1, c("3")}}));
    EXPECT_EQ(d.lots[1], (std::vector<std::pair<int64_t, int128>>{{2, c("10")}}));
    EXPECT_EQ(d.lots[2], (std::vector<std::pair<int64_t, int128>>{{3, c("7")}}));
    EXPECT_EQ(levels[0].drawn, c("17")); // the team drew 10 + 7 from above it
    EXPECT_EQ(levels[1].drawn, c("7"));  // the company drew 7 from the group, for the team
    EXPECT_EQ(levels[2].drawn, 0);
    EXPECT_EQ(company.balance(0), 0);
    EXPECT_EQ(group.balance(0), c("93"));
}

TEST(Pool, LimitsOfEveryLevelBelowCap) {
    Account team({}, 0), company({lot(2, "10")}, 0), group({lot(3, "100")}, 0);
    // the team may draw 12 in total and has drawn 4; the company 5 (drawn 3)
    std::vector<PoolLevel> levels = {
        {&team, c("12"), c("4")}, {&company, c("5"), c("3")}, {&group, std::nullopt, 0}};
    PoolDraw d = draw_from_pool(levels, c("20"), 0, EntryType::Hold, true);
    // 8 of headroom: all of it from the company (it has 10); nothing from the group
    EXPECT_EQ(d.uncovered, c("12"));
    EXPECT_EQ(d.lots[1], (std::vector<std::pair<int64_t, int128>>{{2, c("8")}}));
    EXPECT_TRUE(d.lots[2].empty());
    EXPECT_EQ(levels[0].drawn, c("12"));
    EXPECT_EQ(company.movements()[0].type, EntryType::Hold);
    // the company's own limit caps what passes through it from the group
    Account t2({}, 0), c2({}, 0), g2({lot(4, "100")}, 0);
    std::vector<PoolLevel> l2 = {
        {&t2, std::nullopt, 0}, {&c2, c("5"), c("3")}, {&g2, std::nullopt, 0}};
    EXPECT_EQ(draw_from_pool(l2, c("20"), 0, EntryType::Burn, true).uncovered, c("18"));
}

TEST(Pool, HoldPinsInBurnOrderNeverOverdraft) {
    Account a({lot(1, "10"), lot(2, "5", 1000)}, 0);
    std::vector<PoolLevel> levels = {{&a, std::nullopt, 0}};
    int128 available = 0;
    EXPECT_FALSE(take_from_pool(levels, c("15.000000001"), 0, 0, EntryType::Hold, available));
    EXPECT_EQ(available, c("15"));
    EXPECT_TRUE(a.movements().empty());
    auto draw = take_from_pool(levels, c("8"), 0, 0, EntryType::Hold, available);
    ASSERT_TRUE(draw);
    const auto& pinned = draw->lots[0];
    ASSERT_EQ(pinned.size(), 2u);
    EXPECT_EQ(pinned[0], std::make_pair(int64_t{2}, c("5")));
    EXPECT_EQ(pinned[1], std::make_pair(int64_t{1}, c("3")));
    EXPECT_EQ(a.movements()[0].type, EntryType::Hold);
    EXPECT_EQ(a.balance(0), c("7")); // held credits are not in the balance
}

TEST(Pool, DebitTakesTheRestAsOverdraftUpToTheHeadroom) {
    Account team({lot(1, "2")}, 0), company({lot(2, "3")}, 0);
    std::vector<PoolLevel> levels = {{&team, std::nullopt, 0}, {&company, std::nullopt, 0}};
    int128 available = 0;
    EXPECT_FALSE(take_from_pool(levels, c("9"), c("3"), 0, EntryType::Burn, available));
    EXPECT_EQ(available, c("8")); // 2 own, 3 from the pool, 3 of overdraft
    EXPECT_TRUE(team.movements().empty());
    ASSERT_TRUE(take_from_pool(levels, c("8"), c("3"), 0, EntryType::Burn, available));
    EXPECT_EQ(team.debt(), c("3"));
    EXPECT_EQ(company.balance(0), 0);
}

TEST(Pool, ExpiredAncestorCreditsAreNotDrawn) {
    Account team({}, 0), company({lot(2, "10", 5)}, 0);
    std::vector<PoolLevel> levels = {{&team, std::nullopt, 0}, {&company, std::nullopt, 0}};
    EXPECT_EQ(draw_from_pool(levels, c("1"), 10, EntryType::Burn, false).uncovered, c("1"));
}
