// The burn order and the burn planner.
#include "burn_order.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace credits::core {

bool burns_before(const OpenGrant& a, const OpenGrant& b) {
    return std::tie(a.priority, a.expires_at, a.burn_rank, a.effective_at, a.id) <
           std::tie(b.priority, b.expires_at, b.burn_rank, b.effective_at, b.id);
}

void sort_in_burn_order(std::vector<OpenGrant>& grants) {
    std::sort(grants.begin(), grants.end(), burns_before);
}

std::vector<Take> plan_burn(const std::vector<OpenGrant>& grants, int64_t t, int128 amount,
                            int128& uncovered) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < grants.size(); i++)
        if (is_live(grants[i], t))
            order.push_back(i);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return burns_before(grants[a], grants[b]); });
    std::vector<Take> plan;
    int128 left = amount;
    for (std::size_t i : order) {
        if (left <= 0)
            break;
        int128 take = std::min(left, grants[i].remaining);
        plan.push_back({i, take});
        left -= take;
    }
    uncovered = left;
    return plan;
}

} // namespace credits::core

#include "no_postgres.hpp" // last: fails the build if a PostgreSQL header came in
