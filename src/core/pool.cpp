// The pooled draw (pool.hpp).
#include "pool.hpp"

#include <algorithm>

namespace credits::core {

PoolDraw draw_from_pool(std::vector<PoolLevel>& levels, int128 amount, int64_t t, EntryType type,
                        bool apply) {
    PoolDraw draw;
    draw.lots.resize(levels.size());
    std::vector<int128> drawn;
    for (const PoolLevel& l : levels)
        drawn.push_back(l.drawn);
    int128 left = amount;
    for (std::size_t i = 0; i < levels.size() && left > 0; i++) {
        int128 room = left;
        for (std::size_t j = 0; j < i; j++)
            if (levels[j].limit)
                room = std::min(room, std::max<int128>(0, *levels[j].limit - drawn[j]));
        int128 take = std::min(room, levels[i].account->live_total(t));
        if (take <= 0)
            continue;
        if (apply)
            draw.lots[i] = levels[i].account->take_live(take, t, type);
        for (std::size_t j = 0; j < i; j++)
            drawn[j] = add(drawn[j], take);
        left -= take;
    }
    draw.uncovered = left;
    if (apply)
        for (std::size_t j = 0; j < levels.size(); j++)
            levels[j].drawn = drawn[j];
    return draw;
}

std::optional<PoolDraw> take_from_pool(std::vector<PoolLevel>& levels, int128 amount,
                                       int128 headroom, int64_t t, EntryType type,
                                       int128& available) {
    if (draw_from_pool(levels, amount, t, type, false).uncovered > headroom) {
        PoolDraw all = draw_from_pool(levels, kMaxRaw, t, type, false);
        available = add(kMaxRaw - all.uncovered, headroom);
        return std::nullopt;
    }
    PoolDraw draw = draw_from_pool(levels, amount, t, type, true);
    levels[0].account->overdraw(draw.uncovered, t);
    return draw;
}

std::optional<PoolDraw> debit(std::vector<PoolLevel>& levels, int128 amount, int128 overdraft_limit,
                              int64_t t, int128& available) {
    int128 headroom = levels[0].account->headroom(overdraft_limit);
    return take_from_pool(levels, amount, headroom, t, EntryType::Burn, available);
}

} // namespace credits::core

#include "no_postgres.hpp" // last: fails the build if a PostgreSQL header came in
