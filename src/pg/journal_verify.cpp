// credits.verify_chain(): recomputes every account's hash chain.
#include <algorithm>
#include <vector>

#include "args.hpp"
#include "error.hpp"
#include "errors.hpp"
#include "journal.hpp"
#include "result_set.hpp"

extern "C" {
#include "utils/builtins.h"
}

namespace credits::pg {

namespace {

Statement all_accounts = {"SELECT id, key FROM credits.accounts ORDER BY key", ""};
Statement one_account = {"SELECT id, key FROM credits.accounts WHERE key = $1", "T"};
Statement entries_in_order = {
    "SELECT id, operation, account, \"grant\", type, delta, grant_remaining_after, "
    "account_balance_after, seq, effective_at, recorded_at, prev_hash, hash "
    "FROM credits.entries WHERE account = $1 ORDER BY seq",
    "I"};

struct ChainResult {
    int64_t entries = 0;
    std::optional<int64_t> first_bad_seq;
};

// Walks one account's entries in seq order: seq must run 1, 2, 3...,
// prev_hash must be the previous hash (zeros first), hash must recompute.
ChainResult verify_account(Spi& spi, int64_t account) {
    ChainResult result;
    uint8_t previous[core::kHashSize] = {};
    spi.open_cursor(entries_in_order, {int8_param(account)});
    for (uint64_t n; (n = spi.fetch(1000)) > 0;) {
        for (uint64_t i = 0; i < n; i++) {
            result.entries++;
            if (result.first_bad_seq)
                continue;
            core::EntryFields e;
            e.id = spi.int8(i, 1);
            e.operation = spi.int8(i, 2);
            e.account = spi.int8(i, 3);
            e.has_grant = !spi.is_null(i, 4);
            e.grant = spi.int8(i, 4);
            std::string type = spi.string(i, 5);
            e.type = type.c_str();
            e.delta = spi.credit(i, 6);
            e.grant_remaining_after = spi.credit(i, 7);
            e.account_balance_after = spi.credit(i, 8);
            e.seq = spi.int8(i, 9);
            e.effective_at = spi.timestamp(i, 10).value_or(0);
            e.recorded_at = spi.timestamp(i, 11).value_or(0);
            uint8_t prev[core::kHashSize], stored[core::kHashSize], computed[core::kHashSize];
            bool ok = e.seq == result.entries && spi.hash(i, 12, prev) &&
                      std::equal(prev, prev + core::kHashSize, previous) && spi.hash(i, 13, stored);
            if (ok) {
                char encoding[core::kMaxEncodingLength];
                std::size_t length = core::encode_entry(e, encoding);
                core::chain_hash(prev, encoding, length, computed);
                ok = std::equal(computed, computed + core::kHashSize, stored);
            }
            if (!ok)
                result.first_bad_seq = e.seq;
            std::copy(stored, stored + core::kHashSize, previous);
        }
    }
    spi.close_cursor();
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
    uint64_t n = key ? spi.run(pg::one_account, {pg::text_param(*key)}, true)
                     : spi.run(pg::all_accounts, {}, true);
    if (key && n == 0)
        throw core::Error(pg::kAccountNotFound, "account \"" + *key + "\" does not exist");
    std::vector<std::pair<int64_t, std::string>> accounts;
    for (uint64_t i = 0; i < n; i++)
        accounts.emplace_back(spi.int8(i, 1), spi.string(i, 2));
    for (const auto& [id, account_key] : accounts) {
        pg::ChainResult chain = pg::verify_account(spi, id);
        Datum values[4];
        bool nulls[4] = {false, false, false, !chain.first_bad_seq};
        pg::guarded([&] { values[0] = CStringGetTextDatum(account_key.c_str()); });
        values[1] = Int64GetDatum(chain.entries);
        values[2] = BoolGetDatum(!chain.first_bad_seq);
        values[3] = Int64GetDatum(chain.first_bad_seq.value_or(0));
        result.add(values, nulls);
    }
    spi.finish();
    return 0;
}
