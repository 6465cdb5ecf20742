// New grants, as every granting operation writes them: the kind's burn rank,
// the row, and the grant's place in the in-memory account.
#pragma once

#include <optional>
#include <string>

#include "args.hpp"
#include "ledger.hpp"

namespace credits::pg {

// A grant an operation is about to write.
struct NewGrant {
    std::string kind;
    int32_t burn_rank = 0; // the kind's, from kind_burn_rank()
    int128 amount = 0;
    int32_t priority = 50;
    int64_t effective_at = 0;
    std::optional<int64_t> expires_at; // none: never ('infinity' too)
    std::optional<Numeric> cost_basis;
    std::optional<std::string> reference;
    Datum metadata = 0;            // jsonb
    std::optional<int64_t> origin; // the lot its credits came from
    core::RolloverRule rollover;   // what rolls over when it expires
    int32_t generation = 0;        // rollovers its credits went through
};

// An existing grant as reversals, voids and transfers need it.
struct Lot {
    int64_t account = 0;
    core::OpenGrant open; // remaining as stored
    int128 amount = 0;
    std::string kind;
    std::optional<int64_t> expires_at; // as stored (none: never)
    std::optional<int64_t> voided_at;
    std::optional<Numeric> cost_basis;
};

// The grant with `id`, or nothing; `account_key` receives its account's key.
std::optional<Lot> read_lot(Spi& spi, int64_t id, std::string* account_key = nullptr);

// The lot `id` as the model has it (a grant it rolled over and the table
// does not have yet: the first real grant of its chain, with the model's
// figures).
Lot lot_in(Spi& spi, const core::Account& model, int64_t id);

// CR010 when the lot was voided or has expired at t (`why` ends the hint
// of the latter).
void require_not_ended(const Lot& lot, int64_t t, const std::string& why);

// A new grant of `amount` credits taken from `lot` (moved or reinstated):
// the lot's kind, priority, expiry and cost basis, starting at t, with the
// lot as its origin.
NewGrant successor_of(const Lot& lot, int128 amount, int64_t t);

// An expires_at argument as a grant keeps it: 'infinity' is never (none).
std::optional<int64_t> grant_expiry(std::optional<int64_t> expires_at);

// The rollover rule of arguments n (rollover_max), n + 1 (rollover_validity)
// and n + 2 (rollover_limit) of a grant expiring at `expires_at`; none
// when the function has fewer arguments (its 1.0 signature). 22023 for a
// rule that could never apply as written.
core::RolloverRule rollover_rule(FunctionCallInfo fcinfo, int n, std::optional<int64_t> expires_at);

// The kind's burn rank; 22023 for an unknown kind.
int32_t kind_burn_rank(Spi& spi, const std::string& kind);

// 22023 unless the grant expires after both its start and the ledger time t.
void require_expiry_after(const NewGrant& grant, int64_t t);

// Inserts the grant as part of operation `op_id` and adds it to the model
// (which repays debt from it first); returns its id.
int64_t write_grant(Spi& spi, int64_t op_id, const AccountRow& account, core::Account& model,
                    int64_t t, const NewGrant& grant);

// Inserts the grants the model rolled over (as part of operation `op_id`)
// and gives the model their ids, before its movements are written.
void write_rolled_grants(Spi& spi, int64_t op_id, core::Account& model);

// The first grant operation `op_id` wrote, if any.
std::optional<int64_t> first_grant_of(Spi& spi, int64_t op_id);

} // namespace credits::pg
