// The ledger's reading API: balance, grants_of, clock. The present is read
// from maintained figures; a past instant is reconstructed from the journal.
#include <algorithm>
#include <map>
#include <vector>

#include "args.hpp"
#include "ledger.hpp"
#include "result_set.hpp"

extern "C" {
#include "utils/timestamp.h"
}

namespace credits::pg {

namespace {

// The remaining of each grant live at $2, as the journal had it then, plus
// minus the overdraft debt then.
Statement<int64_t, Timestamp> balance_from_journal{
    "SELECT COALESCE((SELECT @extschema@.sum(x.remaining) FROM ("
    "  SELECT (SELECT e.grant_remaining_after FROM credits.entries e"
    "          WHERE e.\"grant\" = g.id AND e.effective_at <= $2"
    "          ORDER BY e.effective_at DESC, e.seq DESC LIMIT 1) AS remaining"
    "  FROM credits.grants g WHERE g.account = $1 AND g.effective_at <= $2"
    "   AND (g.expires_at IS NULL OR g.expires_at > $2)"
    "   AND (g.voided_at IS NULL OR g.voided_at > $2)) x), '0'::@extschema@.credit)"
    " OPERATOR(@extschema@.+) COALESCE((SELECT e.grant_remaining_after FROM credits.entries e"
    "   WHERE e.account = $1 AND e.\"grant\" IS NULL AND e.effective_at <= $2"
    "   ORDER BY e.effective_at DESC, e.seq DESC LIMIT 1), '0'::@extschema@.credit) AS balance"};

#define LIVE_GRANTS_NOW(open)                                                                      \
    "SELECT g.id, g.kind, g.remaining, g.priority, g.effective_at, g.expires_at, g.cost_basis, "   \
    "k.burn_rank FROM credits.grants g JOIN credits.kinds k ON k.kind = g.kind "                   \
    "WHERE g.account = $1 AND " open                                                               \
    " AND g.effective_at <= $2 AND (g.expires_at IS NULL OR g.expires_at > $2)"
Statement<int64_t, Timestamp> live_grants_now{LIVE_GRANTS_NOW("g.is_open")};
// a schema before grants.is_open (1.0)
Statement<int64_t, Timestamp> live_grants_now_1_0{LIVE_GRANTS_NOW(OPEN_GRANT_1_0)};

Statement<int64_t, Timestamp> live_grants_then{
    "SELECT g.id, g.kind, (SELECT e.grant_remaining_after FROM credits.entries e"
    "  WHERE e.\"grant\" = g.id AND e.effective_at <= $2"
    "  ORDER BY e.effective_at DESC, e.seq DESC LIMIT 1) AS remaining, g.priority, g.effective_at, "
    "g.expires_at, g.cost_basis, k.burn_rank FROM credits.grants g "
    "JOIN credits.kinds k ON k.kind = g.kind WHERE g.account = $1 AND g.effective_at <= $2 "
    "AND (g.expires_at IS NULL OR g.expires_at > $2) "
    "AND (g.voided_at IS NULL OR g.voided_at > $2)"};

// What a rolled-over lot not written yet shows of the grant its chain began with.
Statement<int64_t> kind_and_cost{"SELECT kind, cost_basis FROM credits.grants WHERE id = $1"};
Statement<int64_t, Timestamp> live_grant_by_id{
    "SELECT g.id, g.kind, g.remaining, g.priority, g.effective_at, g.expires_at, g.cost_basis, "
    "k.burn_rank FROM credits.grants g JOIN credits.kinds k ON k.kind = g.kind "
    "WHERE g.id = $1 AND g.voided_at IS NULL "
    "AND g.effective_at <= $2 AND (g.expires_at IS NULL OR g.expires_at > $2)"};
// What the account's holds hold at $2: created by then, not settled by then
// and not expired (an expired hold holds nothing, released or not).
Statement<int64_t, Timestamp> held_at{
    "SELECT COALESCE(@extschema@.sum(amount), '0'::@extschema@.credit) AS held "
    "FROM credits.holds WHERE account = $1 AND created_at <= $2 "
    "AND (settled_at IS NULL OR settled_at > $2) AND expires_at > $2"};

// Whether the account's current rows describe instant t (nothing recorded
// after it); otherwise t is in the past and the journal answers.
bool current_rows_describe(const AccountRow& account, int64_t t) {
    return !account.last_effective_at || t >= *account.last_effective_at;
}

} // namespace

} // namespace credits::pg

using namespace credits;

// credits.balance(account, as_of): live credits at as_of minus debt.
CREDITS_FUNCTION(credits_balance) {
    std::string key = pg::required_text(fcinfo, 0, "account");
    std::optional<int64_t> as_of = pg::optional_timestamp(fcinfo, 1);
    int64_t t = as_of.value_or(pg::ledger_clock().now);
    pg::Spi spi;
    pg::AccountRow account = pg::read_account(spi, key, false);
    core::int128 balance;
    if (!pg::current_rows_describe(account, t)) {
        spi.read(pg::balance_from_journal, account.id, t);
        balance = spi.get<core::int128>(0, "balance");
    } else if (!account.next_change_at || t < *account.next_change_at) {
        balance = account.balance; // O(1): nothing expired or began since
    } else {
        balance = pg::account_at(spi, account, t, true).balance(t);
    }
    spi.finish();
    return pg::to_datum(balance); // a credit Datum, built under a guard
}

// credits.grants_of(account, as_of): the grants live at as_of, in burn order.
CREDITS_FUNCTION(credits_grants_of) {
    std::string key = pg::required_text(fcinfo, 0, "account");
    std::optional<int64_t> as_of = pg::optional_timestamp(fcinfo, 1);
    int64_t t = as_of.value_or(pg::ledger_clock().now);
    pg::ResultSet result(fcinfo);
    pg::Spi spi;
    pg::AccountRow account = pg::read_account(spi, key, false);
    bool now = pg::current_rows_describe(account, t);
    struct Row {
        core::OpenGrant grant;
        Datum kind;
        std::optional<Datum> cost_basis;
        std::optional<int64_t> expires_at;
        bool written = true; // a rolled-over lot no operation wrote yet: false
    };
    std::vector<Row> rows;
    // row i of the last result, with `remaining` (none: the row's own)
    auto add_row = [&](uint64_t i, std::optional<core::int128> remaining) {
        Row r;
        r.grant.id = spi.get<int64_t>(i, "id");
        // NULL: no entry of the grant yet at t (it began later)
        r.grant.remaining = remaining
                                ? *remaining
                                : spi.get<std::optional<core::int128>>(i, "remaining").value_or(0);
        if (r.grant.remaining <= 0)
            return;
        r.kind = *spi.datum_copy(i, "kind");
        r.grant.priority = spi.get<int32_t>(i, "priority");
        r.grant.effective_at = spi.get<pg::Timestamp>(i, "effective_at");
        r.expires_at = spi.get<std::optional<pg::Timestamp>>(i, "expires_at");
        r.grant.expires_at = pg::expiry(r.expires_at);
        r.cost_basis = spi.datum_copy(i, "cost_basis");
        r.grant.burn_rank = spi.get<int32_t>(i, "burn_rank");
        rows.push_back(r);
    };
    if (now) {
        // the present as an operation would see it: credits of expired holds
        // back in their lots (repaying debt first), written yet or not
        std::map<int64_t, core::int128> live;
        core::Account model = pg::account_at(spi, account, t, true);
        for (const core::OpenGrant& g : model.grants())
            if (core::is_live(g, t))
                live[g.id] = g.remaining;
        uint64_t n = spi.read(pg::has_column("grants", "is_open") ? pg::live_grants_now
                                                                  : pg::live_grants_now_1_0,
                              account.id, t);
        for (uint64_t i = 0; i < n; i++) {
            auto found = live.find(spi.get<int64_t>(i, "id"));
            if (found == live.end())
                continue;
            add_row(i, found->second);
            live.erase(found);
        }
        for (const auto& [id, remaining] : live) {
            if (id > 0) { // lots whose credits were all held
                if (spi.read(pg::live_grant_by_id, id, t) == 1)
                    add_row(0, remaining);
                continue;
            }
            // rolled over since the last write: kind and cost of its chain's first grant
            spi.read(pg::kind_and_cost, model.first_of(id));
            Row r;
            r.grant = *model.grant(id);
            r.kind = *spi.datum_copy(0, "kind");
            r.cost_basis = spi.datum_copy(0, "cost_basis");
            if (r.grant.expires_at != core::kNever)
                r.expires_at = r.grant.expires_at;
            r.written = false;
            rows.push_back(r);
        }
    } else {
        uint64_t n = spi.read(pg::live_grants_then, account.id, t);
        for (uint64_t i = 0; i < n; i++)
            add_row(i, std::nullopt);
    }
    spi.finish();
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return core::burns_before(a.grant, b.grant); });
    for (const Row& r : rows) {
        Datum values[7];
        bool nulls[7] = {!r.written, false, false, false, false, !r.expires_at, !r.cost_basis};
        values[0] = Int64GetDatum(r.grant.id);
        values[1] = r.kind;
        pg::guarded([&] { values[2] = pg::credit_datum(r.grant.remaining); });
        values[3] = Int32GetDatum(r.grant.priority);
        values[4] = TimestampTzGetDatum(r.grant.effective_at);
        values[5] = r.expires_at ? TimestampTzGetDatum(*r.expires_at) : 0;
        values[6] = r.cost_basis.value_or(0);
        result.add(values, nulls);
    }
    return 0;
}

// credits.held(account, as_of): what the account's active holds hold at as_of.
CREDITS_FUNCTION(credits_held) {
    std::string key = pg::required_text(fcinfo, 0, "account");
    std::optional<int64_t> as_of = pg::optional_timestamp(fcinfo, 1);
    int64_t t = as_of.value_or(pg::ledger_clock().now);
    pg::Spi spi;
    pg::AccountRow account = pg::read_account(spi, key, false);
    spi.read(pg::held_at, account.id, t);
    core::int128 held = spi.get<core::int128>(0, "held");
    spi.finish();
    return pg::to_datum(held); // a credit Datum, built under a guard
}

// credits.pool_usage(account): what the account draws on its ancestors:
// consumed from their lots plus what its holds pin there now.
CREDITS_FUNCTION(credits_pool_usage) {
    std::string key = pg::required_text(fcinfo, 0, "account");
    pg::Spi spi;
    pg::AccountRow account = pg::read_account(spi, key, false);
    core::int128 usage = core::add(account.pool_drawn,
                                   pg::held_through(spi, account.id, pg::ledger_clock().now, true));
    spi.finish();
    return pg::to_datum(usage); // a credit Datum, built under a guard
}

// credits.clock(): the ledger's "now".
CREDITS_FUNCTION(credits_clock) {
    PG_RETURN_TIMESTAMPTZ(pg::ledger_clock().now);
}
