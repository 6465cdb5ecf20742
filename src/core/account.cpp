// Expiry, activation, debt repayment and debits of one account, as movements.
#include "account.hpp"

#include <algorithm>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace credits::core {

const char* entry_type_name(EntryType type) {
    switch (type) {
    case EntryType::Grant:
        return "grant";
    case EntryType::Burn:
        return "burn";
    case EntryType::Expire:
        return "expire";
    case EntryType::Overdraft:
        return "overdraft";
    case EntryType::Repay:
        return "repay";
    case EntryType::Refund:
        return "refund";
    case EntryType::Void:
        return "void";
    case EntryType::Transfer:
        return "transfer";
    case EntryType::Reinstate:
        return "reinstate";
    case EntryType::Hold:
        return "hold";
    case EntryType::Release:
        return "release";
    case EntryType::Rollover:
        return "rollover";
    }
    return "?";
}

int128 Account::live_total(int64_t t) const {
    int128 total = 0;
    for (const auto& g : grants_)
        if (is_live(g, t))
            total = add(total, g.remaining);
    return total;
}

int128 Account::headroom(int128 overdraft_limit) const {
    return overdraft_limit > debt_ ? overdraft_limit - debt_ : 0;
}

int64_t Account::next_change(int64_t t) const {
    int64_t next = kNever;
    for (const auto& g : grants_) {
        if (g.remaining <= 0)
            continue;
        if (g.effective_at > t)
            next = std::min(next, g.effective_at);
        else if (g.expires_at > t)
            next = std::min(next, g.expires_at);
    }
    for (int64_t at : hold_expiries_)
        if (at > t)
            next = std::min(next, at);
    for (const Return& r : returns_)
        if (r.at > t)
            next = std::min(next, r.at);
    return next;
}

void Account::record(EntryType type, int64_t grant_id, int128 delta, int128 remaining_after,
                     int64_t t) {
    moves_.push_back({type, grant_id, delta, remaining_after, balance(t), t});
}

void Account::advance(int64_t from, int64_t t) {
    // Events: expiries (first at an instant: a grant is not live at its
    // expires_at), returns of expired holds, and activations, in time order.
    // A lot whose credits are all held has an expiry event too: a return
    // before it may refill it.
    enum Kind { kExpiry, kReturn, kActivation };
    struct Event {
        int64_t at;
        Kind kind;
        int64_t grant_id;
        std::size_t index; // into grants_, or returns_ for kReturn
    };
    std::vector<Event> events;
    for (std::size_t i = 0; i < grants_.size(); i++) {
        const OpenGrant& g = grants_[i];
        if (g.expires_at <= t && (g.remaining > 0 || g.expires_at > from))
            events.push_back({std::max(g.expires_at, from), kExpiry, g.id, i});
        if (g.remaining > 0 && g.effective_at > from && g.effective_at <= t &&
            g.effective_at < g.expires_at)
            events.push_back({g.effective_at, kActivation, g.id, i});
    }
    for (std::size_t i = 0; i < returns_.size(); i++)
        if (returns_[i].at <= t)
            events.push_back({std::max(returns_[i].at, from), kReturn, returns_[i].grant_id, i});
    auto before = [](const Event& a, const Event& b) {
        return std::tie(a.at, a.kind, a.grant_id, a.index) <
               std::tie(b.at, b.kind, b.grant_id, b.index);
    };
    std::sort(events.begin(), events.end(), before);
    for (std::size_t k = 0; k < events.size(); k++) {
        const Event e = events[k]; // a copy: a rollover inserts events
        if (e.kind == kReturn) {
            // all credits returning at one instant first, then debt repaid
            give_back(*find(e.grant_id), returns_[e.index].amount, e.at);
            bool last =
                k + 1 == events.size() || events[k + 1].kind != kReturn || events[k + 1].at != e.at;
            if (last && debt_ > 0)
                repay(e.at);
            continue;
        }
        OpenGrant& g = grants_[e.index];
        if (e.kind == kExpiry) {
            if (g.remaining <= 0)
                continue;
            int128 rolls = rollable(g);
            if (g.remaining > rolls) { // the rest is breakage
                int128 lost = g.remaining - rolls;
                g.remaining = rolls;
                record(EntryType::Expire, g.id, -lost, rolls, e.at);
            }
            if (rolls <= 0)
                continue;
            int64_t id = roll_over(g.id, rolls, rolled_expiry(g), e.at);
            if (grants_.back().expires_at <= t) { // it expires in this advance too
                Event next{grants_.back().expires_at, kExpiry, id, grants_.size() - 1};
                events.insert(std::upper_bound(events.begin() + k + 1, events.end(), next, before),
                              next);
            }
            if (debt_ > 0)
                repay(e.at);
        } else if (debt_ > 0) {
            repay(e.at);
        }
    }
    returns_.erase(std::remove_if(returns_.begin(), returns_.end(),
                                  [t](const Return& r) { return r.at <= t; }),
                   returns_.end());
}

int128 Account::rollable(const OpenGrant& g) {
    if (!g.rollover.max || g.expires_at == kNever)
        return 0;
    return std::min(g.remaining, *g.rollover.max);
}

int64_t Account::rolled_expiry(const OpenGrant& g) {
    // no validity: as long as the old grant lasted
    Period validity = g.rollover.validity.value_or(Period{0, 0, g.expires_at - g.effective_at});
    try {
        return add_period(g.expires_at, validity);
    } catch (const std::overflow_error&) {
        return kNever; // past PostgreSQL's last timestamp: never expires
    }
}

int64_t Account::roll_over(int64_t id, int128 amount, int64_t expires_at, int64_t t) {
    OpenGrant* g = find(id);
    if (!g || amount <= 0 || amount > g->remaining)
        throw std::logic_error("rolling over more than the lot holds");
    g->remaining -= amount;
    record(EntryType::Rollover, g->id, -amount, g->remaining, t);
    static int64_t last_provisional = 0; // one backend is one thread
    OpenGrant next = *g;
    next.id = --last_provisional;
    next.remaining = amount;
    next.effective_at = t;
    next.expires_at = expires_at;
    if (g->rollover.again > 0)
        next.rollover.again--;
    else
        next.rollover = RolloverRule{}; // its credits expire for good
    next.generation = g->generation + 1;
    rolled_.push_back({next.id, id, amount});
    grants_.push_back(next);
    record(EntryType::Grant, next.id, amount, amount, t);
    return next.id;
}

int64_t Account::id_of(int64_t id) const {
    for (const auto& [provisional, assigned] : assigned_)
        if (provisional == id)
            return assigned;
    return id;
}

void Account::assign_id(int64_t provisional, int64_t id) {
    assigned_.emplace_back(provisional, id);
    for (auto& g : grants_)
        if (g.id == provisional)
            g.id = id;
    for (auto& m : moves_)
        if (m.grant_id == provisional)
            m.grant_id = id;
    for (auto& r : rolled_) {
        if (r.id == provisional)
            r.id = id;
        if (r.origin == provisional)
            r.origin = id;
    }
}

const OpenGrant* Account::grant(int64_t id) const {
    for (const auto& g : grants_)
        if (g.id == id)
            return &g;
    return nullptr;
}

int64_t Account::first_of(int64_t id) const {
    for (auto r = rolled_.rbegin(); r != rolled_.rend(); ++r) // rolled after their origins
        if (r->id == id)
            id = r->origin;
    return id;
}

void Account::add_grant(const OpenGrant& grant, int64_t t) {
    grants_.push_back(grant);
    record(EntryType::Grant, grant.id, grant.remaining, grant.remaining, t);
    if (debt_ > 0 && is_live(grant, t))
        repay(t);
}

void Account::take(const Take& take, EntryType type, int64_t t) {
    OpenGrant& g = grants_[take.index];
    g.remaining -= take.amount;
    record(type, g.id, -take.amount, g.remaining, t);
}

void Account::repay(int64_t t) {
    int128 uncovered;
    for (const Take& step : plan_burn(grants_, t, debt_, uncovered)) {
        take(step, EntryType::Repay, t);
        debt_ -= step.amount;
        record(EntryType::Repay, 0, step.amount, -debt_, t);
    }
}

std::vector<std::pair<int64_t, int128>> Account::take_live(int128 amount, int64_t t,
                                                           EntryType type) {
    int128 uncovered;
    std::vector<std::pair<int64_t, int128>> taken;
    for (const Take& step : plan_burn(grants_, t, amount, uncovered)) {
        take(step, type, t);
        taken.emplace_back(grants_[step.index].id, step.amount);
    }
    return taken;
}

void Account::overdraw(int128 amount, int64_t t) {
    if (amount <= 0)
        return;
    debt_ = add(debt_, amount);
    record(EntryType::Overdraft, 0, -amount, -debt_, t);
}

OpenGrant& Account::ensure(const OpenGrant& lot) {
    if (OpenGrant* g = find(lot.id))
        return *g;
    grants_.push_back(lot);
    return grants_.back();
}

void Account::give_back(OpenGrant& g, int128 amount, int64_t at) {
    g.remaining = add(g.remaining, amount);
    record(EntryType::Release, g.id, amount, g.remaining, at);
    if (at >= g.expires_at) {
        g.remaining -= amount;
        record(EntryType::Expire, g.id, -amount, g.remaining, at);
    }
}

void Account::add_return(const OpenGrant& lot, int128 amount, int64_t at) {
    ensure(lot);
    returns_.push_back({at, lot.id, amount});
}

void Account::settle_hold(const std::vector<std::pair<OpenGrant, int128>>& pinned, int128 captured,
                          int64_t t) {
    int128 left = captured;
    for (const auto& [lot, held] : pinned) {
        OpenGrant& g = ensure(lot);
        g.remaining = add(g.remaining, held);
        record(EntryType::Release, g.id, held, g.remaining, t);
        int128 burn = std::min(left, held);
        if (burn > 0) {
            g.remaining -= burn;
            left -= burn;
            record(EntryType::Burn, g.id, -burn, g.remaining, t);
        }
        if (held > burn && t >= g.expires_at) {
            g.remaining -= held - burn;
            record(EntryType::Expire, g.id, -(held - burn), g.remaining, t);
        }
    }
    if (left > 0)
        throw std::logic_error("capturing more than the hold pins");
    if (debt_ > 0)
        repay(t);
}

OpenGrant* Account::find(int64_t id) {
    return const_cast<OpenGrant*>(std::as_const(*this).grant(id));
}

std::optional<std::vector<std::pair<int64_t, int128>>> Account::transfer_out(int128 amount,
                                                                             int64_t t) {
    // the same indices as grants_, with the non-transferable lots emptied
    std::vector<OpenGrant> eligible = grants_;
    for (auto& g : eligible)
        if (!g.transferable)
            g.remaining = 0;
    int128 uncovered;
    std::vector<Take> plan = plan_burn(eligible, t, amount, uncovered);
    if (uncovered > 0)
        return std::nullopt;
    std::vector<std::pair<int64_t, int128>> taken;
    for (const Take& step : plan) {
        take(step, EntryType::Transfer, t);
        taken.emplace_back(grants_[step.index].id, step.amount);
    }
    return taken;
}

int128 Account::void_grant(int64_t id, int64_t t) {
    OpenGrant* g = find(id);
    int128 lost = g ? g->remaining : 0;
    if (lost > 0)
        remove(id, lost, EntryType::Void, t);
    return lost;
}

void Account::refund(const OpenGrant& lot, int128 amount, int64_t t) {
    OpenGrant* g = find(lot.id);
    if (!g) {
        grants_.push_back(lot);
        g = &grants_.back();
        g->remaining = 0;
    }
    g->remaining = add(g->remaining, amount);
    record(EntryType::Refund, g->id, amount, g->remaining, t);
}

int128 Account::cancel_debt(int128 amount, int64_t t) {
    int128 cancelled = std::min(amount, debt_);
    if (cancelled > 0) {
        debt_ -= cancelled;
        record(EntryType::Refund, 0, cancelled, -debt_, t);
    }
    return cancelled;
}

void Account::remove(int64_t id, int128 amount, EntryType type, int64_t t) {
    OpenGrant* g = find(id);
    if (!g || amount > g->remaining)
        throw std::logic_error("removing more than the lot holds");
    g->remaining -= amount;
    record(type, g->id, -amount, g->remaining, t);
}

void Account::settle_debt(int64_t t) {
    if (debt_ > 0)
        repay(t);
}

} // namespace credits::core

#include "no_postgres.hpp" // last: fails the build if a PostgreSQL header came in
