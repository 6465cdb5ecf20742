// The journal side of credits.debit_many (batch.hpp): every account's new
// entries hashed here on its chain, the grants' remaining and the accounts'
// figures, one statement each. The chain trigger takes the hashes of the
// entries vouched for (vouched.hpp: the account's last entry re-read here,
// the grant the account's own) and recomputes any other; the stored hashes
// are checked against these.
#include <algorithm>
#include <array>
#include <set>
#include <stdexcept>

#include "batch.hpp"
#include "vouched.hpp"

namespace credits::pg {

namespace {

// What the journal's hash covers of the grants (journal.hpp, GrantFields).
Statement<Array<int64_t>> grant_fields{"SELECT id, account, kind, amount, priority, effective_at, "
                                       "expires_at, cost_basis::text AS cost_basis "
                                       "FROM credits.grants WHERE id = ANY($1)"};
// The hash of each account's last entry, to vouch for the entries after it
// (each by its index: LATERAL, so no plan reads the whole journal).
Statement<Array<int64_t>, Array<int64_t>> last_entry_hashes{
    "SELECT u.account, e.hash FROM unnest($1, $2) AS u(account, seq) CROSS JOIN LATERAL "
    "(SELECT p.hash FROM credits.entries p WHERE p.account = u.account AND p.seq = u.seq "
    "LIMIT 1) e"};
Statement<int32_t> next_entry_ids{
    "SELECT nextval('credits.entries_id_seq') AS id FROM generate_series(1, $1)"};
Statement<Array<int64_t>, Array<int64_t>, Array<int64_t>, Array<std::optional<int64_t>>,
          Array<std::string>, Array<int128>, Array<int128>, Array<int128>, Array<int64_t>,
          Array<Timestamp>, Array<Bytes>, Timestamp>
    insert_entries{
        "INSERT INTO credits.entries (id, operation, account, \"grant\", type, delta, "
        "grant_remaining_after, account_balance_after, seq, effective_at, prev_hash, recorded_at, "
        "hash) SELECT u.*, $12, '\\x'::bytea "
        "FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) AS u RETURNING id, hash"};
// (the ANY lets the plan find the rows by index instead of reading the table)
Statement<Array<int64_t>, Array<int128>> update_remainings{
    "UPDATE credits.grants g SET remaining = u.remaining "
    "FROM unnest($1, $2) AS u(id, remaining) WHERE g.id = u.id AND g.id = ANY($1)"};
Statement<Array<int64_t>, Array<int128>, Array<int128>, Array<int64_t>, Array<Bytes>,
          Array<std::optional<Timestamp>>, Array<int128>, Timestamp>
    update_accounts{
        "UPDATE credits.accounts a SET balance = u.balance, debt = u.debt, last_seq = u.last_seq, "
        "last_hash = u.last_hash, last_effective_at = $8, next_change_at = u.next_change_at, "
        "pool_drawn = u.pool_drawn FROM unnest($1, $2, $3, $4, $5, $6, $7) "
        "AS u(id, balance, debt, last_seq, last_hash, next_change_at, pool_drawn) "
        "WHERE a.id = u.id AND a.id = ANY($1)"};

// The accounts with writers whose recorded last hash is their last entry's
// (an account without entries: 32 zero bytes), read with one statement.
std::set<int64_t> chained_accounts(Spi& spi, const std::map<std::string, BatchAccount>& accounts) {
    std::set<int64_t> chained;
    std::map<int64_t, const AccountRow*> rows;
    Array<int64_t> id, seq;
    for (const auto& [name, a] : accounts) {
        if (a.writers.empty())
            continue;
        if (a.row.last_seq > 0) {
            rows[a.row.id] = &a.row;
            id.items.push_back(a.row.id);
            seq.items.push_back(a.row.last_seq);
        } else if (std::all_of(a.row.last_hash, a.row.last_hash + core::kHashSize,
                               [](uint8_t b) { return b == 0; })) {
            chained.insert(a.row.id);
        }
    }
    uint64_t n = id.items.empty() ? 0 : spi.run(last_entry_hashes, id, seq);
    for (uint64_t i = 0; i < n; i++) {
        const AccountRow* row = rows.at(spi.get<int64_t>(i, "account"));
        uint8_t last[core::kHashSize];
        if (spi.hash(i, "hash", last) && std::equal(last, last + core::kHashSize, row->last_hash))
            chained.insert(row->id);
    }
    return chained;
}

} // namespace

void write_journal(Spi& spi, std::map<std::string, BatchAccount>& accounts,
                   const std::vector<Written>& order,
                   const std::map<const BatchAccount::Writer*, core::OperationFields>& ops,
                   int64_t t, int64_t recorded_at) {
    std::size_t count = 0;
    Array<int64_t> grant_ids;
    for (const auto& [name, a] : accounts)
        if (!a.writers.empty()) {
            count += a.model.movements().size();
            for (const core::Movement& m : a.model.movements())
                if (m.grant_id != 0)
                    grant_ids.items.push_back(m.grant_id);
        }
    std::map<int64_t, core::GrantFields> grants;
    std::map<int64_t, int64_t> grant_account;
    uint64_t n = spi.run(grant_fields, grant_ids);
    for (uint64_t i = 0; i < n; i++) {
        int64_t grant_id = spi.get<int64_t>(i, "id");
        grant_account[grant_id] = spi.get<int64_t>(i, "account");
        core::GrantFields& g = grants[grant_id];
        g.kind = spi.get<std::string>(i, "kind");
        g.amount = spi.get<int128>(i, "amount");
        g.priority = spi.get<int32_t>(i, "priority");
        g.effective_at = spi.get<Timestamp>(i, "effective_at");
        g.expires_at = spi.get<std::optional<Timestamp>>(i, "expires_at");
        g.cost_basis = spi.get<std::optional<std::string>>(i, "cost_basis");
    }
    // entry ids in the order of the writes (a request's own entries, then
    // its pool's; reverse() takes the last-burned lots by id), seq in
    // each account's chain order
    std::vector<int64_t> next = next_ids(spi, next_entry_ids, count);
    std::map<const BatchAccount*, std::vector<int64_t>> entry_ids;
    std::size_t taken = 0;
    for (const Written& o : order) {
        std::vector<int64_t>& ids = entry_ids[o.account];
        bool first = o.writer == &o.account->writers.front();
        for (std::size_t x = first ? 0 : o.writer->from; x < o.writer->to; x++)
            ids.push_back(next[taken++]);
    }
    std::set<int64_t> chained = chained_accounts(spi, accounts);
    std::vector<VouchedEntry> vouched;
    vouched.reserve(count);
    std::vector<std::array<uint8_t, core::kHashSize>> hashes(count);
    // each account's last hash before the batch (Bytes point into it)
    std::vector<std::array<uint8_t, core::kHashSize>> starts(accounts.size());
    Array<int64_t> id, op, account, seq;
    Array<std::optional<int64_t>> grant;
    Array<std::string> type;
    Array<int128> delta, remaining, balance;
    Array<Timestamp> effective_at;
    Array<Bytes> prev_hash;
    std::map<int64_t, int128> final_remaining;
    Array<int64_t> acct_id, acct_seq;
    Array<int128> acct_balance, acct_debt, acct_drawn;
    Array<Bytes> acct_hash;
    Array<std::optional<Timestamp>> acct_next;
    std::size_t e = 0, s = 0;
    for (auto& [name, a] : accounts) {
        if (a.writers.empty())
            continue; // nothing written: its model's changes are dropped
        const auto& moves = a.model.movements();
        std::copy(a.row.last_hash, a.row.last_hash + core::kHashSize, starts[s].begin());
        const uint8_t* prev = starts[s++].data();
        for (std::size_t k = 0; k < a.writers.size(); k++) {
            const auto& w = a.writers[k];
            const core::OperationFields& f = ops.at(&w);
            std::size_t from = k == 0 ? 0 : w.from; // the first takes what advance() did
            for (std::size_t x = from; x < w.to; x++, e++) {
                const core::Movement& m = moves[x];
                core::EntryFields fields;
                fields.id = entry_ids.at(&a)[x];
                fields.operation = w.operation;
                fields.account = a.row.id;
                fields.has_grant = m.grant_id != 0;
                fields.grant = m.grant_id;
                fields.type = core::entry_type_name(m.type);
                fields.delta = m.delta;
                fields.grant_remaining_after = m.remaining_after;
                fields.account_balance_after = m.balance_after;
                fields.seq = ++a.row.last_seq;
                fields.effective_at = m.at;
                fields.recorded_at = recorded_at;
                const core::GrantFields* g = fields.has_grant ? &grants.at(m.grant_id) : nullptr;
                core::entry_hash(2, prev, fields, f, g, hashes[e].data());
                if (chained.count(a.row.id) != 0 &&
                    (g == nullptr || grant_account.at(m.grant_id) == a.row.id)) {
                    VouchedEntry& v = vouched.emplace_back();
                    v.fields = fields;
                    std::copy(prev, prev + core::kHashSize, v.prev_hash);
                    std::copy(hashes[e].begin(), hashes[e].end(), v.hash);
                }
                id.items.push_back(fields.id);
                op.items.push_back(w.operation);
                account.items.push_back(a.row.id);
                grant.items.push_back(fields.has_grant ? std::optional<int64_t>(m.grant_id)
                                                       : std::nullopt);
                type.items.push_back(fields.type);
                delta.items.push_back(m.delta);
                remaining.items.push_back(m.remaining_after);
                balance.items.push_back(m.balance_after);
                seq.items.push_back(fields.seq);
                effective_at.items.push_back(m.at);
                prev_hash.items.push_back(Bytes{prev, core::kHashSize});
                prev = hashes[e].data();
                if (fields.has_grant && m.type != core::EntryType::Grant)
                    final_remaining[m.grant_id] = m.remaining_after;
            }
        }
        std::copy(prev, prev + core::kHashSize, a.row.last_hash);
        int64_t next = a.model.next_change(t);
        acct_id.items.push_back(a.row.id);
        acct_balance.items.push_back(a.model.balance(t));
        acct_debt.items.push_back(a.model.debt());
        acct_seq.items.push_back(a.row.last_seq);
        acct_hash.items.push_back(Bytes{a.row.last_hash, core::kHashSize});
        acct_next.items.push_back(next == core::kNever ? std::nullopt
                                                       : std::optional<Timestamp>(next));
        acct_drawn.items.push_back(a.row.pool_drawn);
    }
    // the grants first: the entries' foreign key then locks each grant's
    // new version once (the other order logged two locks per grant)
    Array<int64_t> grant_id;
    Array<int128> grant_remaining;
    for (const auto& [g, r] : final_remaining) {
        grant_id.items.push_back(g);
        grant_remaining.items.push_back(r);
    }
    spi.run(update_remainings, grant_id, grant_remaining);
    {
        VouchScope scope(vouched);
        n = spi.run(insert_entries, id, op, account, grant, type, delta, remaining, balance, seq,
                    effective_at, prev_hash, recorded_at);
    }
    std::map<int64_t, std::size_t> index;
    for (std::size_t x = 0; x < id.items.size(); x++)
        index[id.items[x]] = x;
    for (uint64_t i = 0; i < n; i++) {
        uint8_t stored[core::kHashSize];
        spi.hash(i, "hash", stored);
        const auto& mine = hashes[index.at(spi.get<int64_t>(i, "id"))];
        if (!std::equal(mine.begin(), mine.end(), stored))
            throw std::logic_error("an entry's hash differs from the journal trigger's");
    }
    spi.run(update_accounts, acct_id, acct_balance, acct_debt, acct_seq, acct_hash, acct_next,
            acct_drawn, t);
}

std::vector<int64_t> next_ids(Spi& spi, Statement<int32_t>& statement, std::size_t n) {
    std::vector<int64_t> ids;
    uint64_t got = spi.run(statement, static_cast<int32_t>(n));
    for (uint64_t i = 0; i < got; i++)
        ids.push_back(spi.get<int64_t>(i, "id"));
    return ids;
}

} // namespace credits::pg
