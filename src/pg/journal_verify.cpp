// credits.verify_chain(): recomputes every account's hash chain and checks it
// ends at the account's anchor.
#include <algorithm>
#include <vector>

#include "args.hpp"
#include "error.hpp"
#include "errors.hpp"
#include "journal.hpp"
#include "ledger.hpp"
#include "result_set.hpp"

extern "C" {
#include "utils/builtins.h"
}

namespace credits::pg {

namespace {

Statement<> all_accounts{"SELECT id, key, last_seq, last_hash FROM credits.accounts ORDER BY key"};
#define ENTRIES_IN_ORDER(encoding)                                                                 \
    "SELECT e.id, e.operation, e.account, e.\"grant\", e.type, e.delta, e.grant_remaining_after, " \
    "e.account_balance_after, e.seq, e.effective_at, e.recorded_at, e.prev_hash, "                 \
    "e.hash, " encoding " AS encoding, " COVERED_COLUMNS                                           \
    " FROM credits.entries e JOIN credits.operations o ON o.id = e.operation "                     \
    "LEFT JOIN credits.grants g ON g.id = e.\"grant\" WHERE e.account = $1 ORDER BY e.seq"
Statement<int64_t> entries_in_order{ENTRIES_IN_ORDER("e.encoding::int4")};
// the same for a 1.0 schema, whose entries all have encoding 1 (the library
// is updated before ALTER EXTENSION credits UPDATE)
Statement<int64_t> entries_in_order_1_0{ENTRIES_IN_ORDER("1")};

// An account with the anchor it keeps: its last entry's seq and hash.
struct Anchored {
    int64_t id;
    std::string key;
    int64_t last_seq;
    uint8_t last_hash[core::kHashSize] = {};
};

struct ChainResult {
    int64_t entries = 0;
    std::optional<int64_t> first_bad_seq;
};

// Walks one account's entries in seq order: seq must run 1, 2, 3...,
// prev_hash must be the previous hash (zeros first), hash must recompute
// over the entry and its operation and grant as they are now, and the last
// entry must be the account's anchor (last_seq, last_hash): an entry missing
// at the end or appended past the anchor is reported at its seq.
ChainResult verify_account(Spi& spi, Statement<int64_t>& entries, const Anchored& account) {
    ChainResult result;
    uint8_t previous[core::kHashSize] = {};
    spi.open_cursor(entries, account.id);
    for (uint64_t n; (n = spi.fetch(1000)) > 0;) {
        for (uint64_t i = 0; i < n; i++) {
            result.entries++;
            if (result.first_bad_seq)
                continue;
            core::EntryFields e;
            e.id = spi.get<int64_t>(i, "id");
            e.operation = spi.get<int64_t>(i, "operation");
            e.account = spi.get<int64_t>(i, "account");
            std::optional<int64_t> grant_id = spi.get<std::optional<int64_t>>(i, "grant");
            e.has_grant = grant_id.has_value();
            e.grant = grant_id.value_or(0);
            std::string type = spi.get<std::string>(i, "type");
            e.type = type.c_str();
            e.delta = spi.get<int128>(i, "delta");
            e.grant_remaining_after = spi.get<int128>(i, "grant_remaining_after");
            e.account_balance_after = spi.get<int128>(i, "account_balance_after");
            e.seq = spi.get<int64_t>(i, "seq");
            e.effective_at = spi.get<Timestamp>(i, "effective_at");
            e.recorded_at = spi.get<Timestamp>(i, "recorded_at");
            int encoding = spi.get<int32_t>(i, "encoding");
            core::OperationFields op;
            std::optional<core::GrantFields> grant;
            uint8_t prev[core::kHashSize], stored[core::kHashSize], computed[core::kHashSize];
            bool ok = e.seq == result.entries && e.seq <= account.last_seq &&
                      (encoding == 1 || encoding == 2) && spi.hash(i, "prev_hash", prev) &&
                      std::equal(prev, prev + core::kHashSize, previous) &&
                      spi.hash(i, "hash", stored) &&
                      read_covered_fields(spi, i, e.has_grant, op, grant);
            if (ok) {
                core::entry_hash(encoding, prev, e, op, grant ? &*grant : nullptr, computed);
                ok = std::equal(computed, computed + core::kHashSize, stored);
            }
            if (ok && e.seq == account.last_seq)
                ok = std::equal(stored, stored + core::kHashSize, account.last_hash);
            if (!ok)
                result.first_bad_seq = e.seq;
            std::copy(stored, stored + core::kHashSize, previous);
        }
    }
    spi.close_cursor();
    if (!result.first_bad_seq && result.entries < account.last_seq)
        result.first_bad_seq = result.entries + 1; // the anchor expects more entries
    return result;
}

} // namespace

} // namespace credits::pg

using namespace credits;

// credits.verify_chain(account): one row per account with its entry count,
// whether its chain verifies, and the first seq that does not.
CREDITS_FUNCTION(credits_verify_chain) {
    std::optional<std::string> key = pg::optional_text(fcinfo, 0);
    pg::ResultSet result(fcinfo);
    pg::Spi spi;
    std::vector<pg::Anchored> accounts;
    if (key) {
        pg::AccountRow row = pg::read_account(spi, *key, false); // CR002 when missing
        accounts.push_back({row.id, row.key, row.last_seq, {}});
        std::copy(row.last_hash, row.last_hash + core::kHashSize, accounts[0].last_hash);
    } else {
        uint64_t n = spi.read(pg::all_accounts);
        accounts.resize(n);
        for (uint64_t i = 0; i < n; i++) {
            accounts[i].id = spi.get<int64_t>(i, "id");
            accounts[i].key = spi.get<std::string>(i, "key");
            accounts[i].last_seq = spi.get<int64_t>(i, "last_seq");
            spi.hash(i, "last_hash", accounts[i].last_hash);
        }
    }
    pg::Statement<int64_t>& entries =
        pg::has_column("entries", "encoding") ? pg::entries_in_order : pg::entries_in_order_1_0;
    for (const pg::Anchored& account : accounts) {
        pg::ChainResult chain = pg::verify_account(spi, entries, account);
        Datum values[4];
        bool nulls[4] = {false, false, false, !chain.first_bad_seq};
        pg::guarded([&] { values[0] = CStringGetTextDatum(account.key.c_str()); });
        values[1] = Int64GetDatum(chain.entries);
        values[2] = BoolGetDatum(!chain.first_bad_seq);
        values[3] = Int64GetDatum(chain.first_bad_seq.value_or(0));
        result.add(values, nulls);
    }
    spi.finish();
    return 0;
}
