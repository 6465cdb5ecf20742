// One account's open grants and overdraft debt, moved through time and
// debited. Every change is recorded as a Movement, in the order the journal
// must show it; the SQL layer writes each Movement as one entry.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "burn_order.hpp"

namespace credits::core {

enum class EntryType {
    Grant,
    Burn,
    Expire,
    Overdraft,
    Repay,
    Refund,    // credits returned to a lot, or debt cancelled, by a reversal
    Void,      // a lot's remainder removed by void_grant
    Transfer,  // credits leaving a lot for a grant on another account
    Reinstate, // refunded credits of a dead lot leaving for a new grant
    Hold,      // credits pinned to a hold (out of the balance)
    Release,   // pinned credits back in their lot (capture, release, expiry)
    Rollover,  // credits leaving an expiring lot for a new grant (its rollover rule)
};

// The entry type's name in credits.entries.type.
const char* entry_type_name(EntryType type);

// One change of one grant's remaining (grant_id 0: the overdraft debt, whose
// "remaining" is minus the debt).
struct Movement {
    EntryType type;
    int64_t grant_id;
    int128 delta;
    int128 remaining_after;
    int128 balance_after;
    int64_t at;
};

// A grant the model created by rolling credits over: the table does not
// have it yet (its id is negative until assign_id()).
struct RolledGrant {
    int64_t id;
    int64_t origin; // the grant the credits came from
    int128 amount;
};

class Account {
  public:
    Account(std::vector<OpenGrant> grants, int128 debt) : grants_(std::move(grants)), debt_(debt) {}

    // Applies what happened after `from` up to and including t, in time
    // order: grants expire (an Expire movement at their expires_at), holds
    // expire (their credits return, see add_return) and grants become live
    // (repaying debt at their effective_at).
    void advance(int64_t from, int64_t t);

    // Credits pinned to a hold that expires at `at` return to `lot` then
    // (applied by the next advance()): a Release movement, and at once an
    // Expire movement when the lot is dead by then.
    void add_return(const OpenGrant& lot, int128 amount, int64_t at);
    // An active hold expires at `at`: next_change() counts it.
    void note_hold_expiry(int64_t at) { hold_expiries_.push_back(at); }

    // Takes up to `amount` from the live grants in burn order, as `type`
    // movements (Burn, Hold); returns the ids and amounts taken.
    std::vector<std::pair<int64_t, int128>> take_live(int128 amount, int64_t t, EntryType type);
    // Takes `amount` as overdraft debt (no limit checked: the caller did).
    void overdraw(int128 amount, int64_t t);

    // Settles a hold: its pinned lots (in pin order) take their credits
    // back (Release), `captured` of them is burned from the lots in that
    // order (Burn), and what returns to a lot dead at t expires at once.
    void settle_hold(const std::vector<std::pair<OpenGrant, int128>>& pinned, int128 captured,
                     int64_t t);

    // Adds a new grant at t; when it is live and there is debt, it repays it.
    void add_grant(const OpenGrant& grant, int64_t t);

    // Takes `amount` from the live grants whose kinds are transferable, in
    // burn order, as Transfer movements; never overdraft. Returns the ids
    // and amounts taken, or nothing (changing nothing) when they do not
    // cover `amount`.
    std::optional<std::vector<std::pair<int64_t, int128>>> transfer_out(int128 amount, int64_t t);

    // Removes the remainder of grant `id` (a Void movement) and returns it.
    int128 void_grant(int64_t id, int64_t t);

    // Returns `amount` to `lot` (added to the model if it is not there) as a
    // Refund movement; when the lot is not live at t the caller takes it out
    // again with remove().
    void refund(const OpenGrant& lot, int128 amount, int64_t t);
    // Cancels up to `amount` of debt (a Refund movement); returns how much.
    int128 cancel_debt(int128 amount, int64_t t);
    // Takes `amount` out of grant `id`, recorded as `type` (Expire, Void,
    // Reinstate: credits that may not stay in a dead lot).
    void remove(int64_t id, int128 amount, EntryType type, int64_t t);
    // Repays debt from live grants (after credits came back).
    void settle_debt(int64_t t);

    // Moves `amount` of live grant `id` into a new grant effective at t and
    // expiring at `expires_at` (kind, priority and cost basis kept, one
    // generation more, the rollover rule with one roll fewer): Rollover and
    // Grant movements. Returns the new grant's (provisional) id.
    int64_t roll_over(int64_t id, int128 amount, int64_t expires_at, int64_t t);
    // The grants rolled over, in the order they were created.
    const std::vector<RolledGrant>& rolled() const { return rolled_; }
    // Gives the rolled grant `provisional` the id the table gave it.
    void assign_id(int64_t provisional, int64_t id);
    // The id the grant `id` has now (a provisional id once assigned: the
    // table's; provisional ids are unique within a process).
    int64_t id_of(int64_t id) const;
    // The grant with `id`; nullptr when the model does not hold it.
    const OpenGrant* grant(int64_t id) const;
    // The grant the credits of grant `id` came from through this model's
    // rollovers (`id` itself unless it is a rolled grant not written yet).
    int64_t first_of(int64_t id) const;

    // What `overdraft_limit` still lets it borrow: the limit less its
    // debt, never below 0.
    int128 headroom(int128 overdraft_limit) const;
    // Live credits at t.
    int128 live_total(int64_t t) const;
    // Live credits at t minus debt.
    int128 balance(int64_t t) const { return live_total(t) - debt_; }
    // The first instant after t when a grant expires or becomes live.
    int64_t next_change(int64_t t) const;

    int128 debt() const { return debt_; }
    const std::vector<OpenGrant>& grants() const { return grants_; }
    const std::vector<Movement>& movements() const { return moves_; }

  private:
    // The grant with `id`; nullptr when the model does not hold it.
    OpenGrant* find(int64_t id);
    // The grant `lot` in the model (added as given when missing).
    OpenGrant& ensure(const OpenGrant& lot);
    // Returns `amount` to grant `g` at `at` (Release); expires it at once
    // when the lot is dead then (the caller repays debt).
    void give_back(OpenGrant& g, int128 amount, int64_t at);
    // Takes a planned amount from its grant, recording it as `type`.
    void take(const Take& take, EntryType type, int64_t t);
    void repay(int64_t t);
    // What of g's remaining its rollover rule carries over when it expires.
    static int128 rollable(const OpenGrant& g);
    // When the grant g rolls into expires.
    static int64_t rolled_expiry(const OpenGrant& g);
    void record(EntryType type, int64_t grant_id, int128 delta, int128 remaining_after, int64_t t);

    struct Return {
        int64_t at;
        int64_t grant_id;
        int128 amount;
    };
    std::vector<OpenGrant> grants_;
    int128 debt_;
    std::vector<Movement> moves_;
    std::vector<Return> returns_;
    std::vector<int64_t> hold_expiries_;
    std::vector<RolledGrant> rolled_;
    std::vector<std::pair<int64_t, int64_t>> assigned_; // provisional, table's id
};

} // namespace credits::core
