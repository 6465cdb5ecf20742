// Rounding modes: the one place that decides which way a dropped digit goes.
#include "rounding.hpp"

#include "error.hpp"

namespace credits::core {

namespace {
struct ModeName {
    RoundMode mode;
    const char* name;
};
constexpr ModeName kModes[] = {
    {RoundMode::HalfUp, "half_up"},     {RoundMode::HalfEven, "half_even"},
    {RoundMode::HalfDown, "half_down"}, {RoundMode::Up, "up"},
    {RoundMode::Down, "down"},          {RoundMode::Ceiling, "ceiling"},
    {RoundMode::Floor, "floor"},
};
} // namespace

// Looks a mode up by name.
RoundMode parse_round_mode(std::string_view name) {
    for (const auto& m : kModes)
        if (name == m.name)
            return m.mode;
    throw Error(sqlstate::kInvalidParameter, "unknown rounding mode \"" + std::string(name) + "\"",
                "Valid modes are half_up, half_even, half_down, up, down, ceiling and floor.");
}

// Looks a name up by mode.
const char* round_mode_name(RoundMode mode) {
    for (const auto& m : kModes)
        if (m.mode == mode)
            return m.name;
    return "?";
}

// Decides the direction from the dropped part; Zero never rounds.
bool round_away(RoundMode mode, Dropped dropped, bool negative, bool odd) {
    if (dropped == Dropped::Zero)
        return false;
    switch (mode) {
    case RoundMode::Up:
        return true;
    case RoundMode::Down:
        return false;
    case RoundMode::Ceiling:
        return !negative;
    case RoundMode::Floor:
        return negative;
    case RoundMode::HalfUp:
        return dropped != Dropped::BelowHalf;
    case RoundMode::HalfDown:
        return dropped == Dropped::AboveHalf;
    case RoundMode::HalfEven:
        return dropped == Dropped::AboveHalf || (dropped == Dropped::Half && odd);
    }
    return false;
}

} // namespace credits::core

#include "no_postgres.hpp" // last: fails the build if a PostgreSQL header came in
