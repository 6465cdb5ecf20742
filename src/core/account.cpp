// Expiry, activation, debt repayment and debits of one account, as movements.
#include "account.hpp"

#include <algorithm>
#include <stdexcept>
#include <tuple>

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

int128 Account::available(int64_t t, int128 overdraft_limit) const {
    int128 headroom = overdraft_limit > debt_ ? overdraft_limit - debt_ : 0;
    return add(live_total(t), headroom);
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
    return next;
}

void Account::record(EntryType type, int64_t grant_id, int128 delta, int128 remaining_after,
                     int64_t t) {
    moves_.push_back({type, grant_id, delta, remaining_after, balance(t), t});
}

void Account::advance(int64_t from, int64_t t) {
    // Events: expiries (first at an instant: a grant is not live at its
    // expires_at) and activations, each in time order.
    struct Event {
        int64_t at;
        int kind; // 0 expiry, 1 activation
        std::size_t index;
    };
    std::vector<Event> events;
    for (std::size_t i = 0; i < grants_.size(); i++) {
        const OpenGrant& g = grants_[i];
        if (g.remaining <= 0)
            continue;
        if (g.expires_at <= t)
            events.push_back({std::max(g.expires_at, from), 0, i});
        if (g.effective_at > from && g.effective_at <= t && g.effective_at < g.expires_at)
            events.push_back({g.effective_at, 1, i});
    }
    std::sort(events.begin(), events.end(), [&](const Event& a, const Event& b) {
        return std::tie(a.at, a.kind, grants_[a.index].id) <
               std::tie(b.at, b.kind, grants_[b.index].id);
    });
    for (const Event& e : events) {
        OpenGrant& g = grants_[e.index];
        if (e.kind == 0) {
            if (g.remaining <= 0)
                continue;
            int128 lost = g.remaining;
            g.remaining = 0;
            record(EntryType::Expire, g.id, -lost, 0, e.at);
        } else if (debt_ > 0) {
            repay(e.at);
        }
    }
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

bool Account::debit(int128 amount, int128 overdraft_limit, int64_t t) {
    if (amount > available(t, overdraft_limit))
        return false;
    int128 uncovered;
    for (const Take& step : plan_burn(grants_, t, amount, uncovered))
        take(step, EntryType::Burn, t);
    if (uncovered > 0) {
        debt_ = add(debt_, uncovered);
        record(EntryType::Overdraft, 0, -uncovered, -debt_, t);
    }
    return true;
}

OpenGrant* Account::find(int64_t id) {
    for (auto& g : grants_)
        if (g.id == id)
            return &g;
    return nullptr;
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
