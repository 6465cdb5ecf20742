// credits.debit_many: metering ingestion. A batch of debits, each with the
// effect and journal of credits.debit, planned in array order over the
// in-memory accounts (each locked once, all in id order) and then written:
// every request succeeds or fails on its own ('each', no savepoints: a
// request is checked and planned in C++ before anything is written) or all
// together ('all': the first failure is raised and nothing is written).
#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "error.hpp"
#include "actor.hpp"
#include "errors.hpp"
#include "pipeline.hpp"
#include "batch.hpp"
#include "grants.hpp"
#include "signals.hpp"
#include "result_set.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"
}

namespace credits::pg {

namespace {

// (each key by its index: LATERAL, so no plan reads all the operations)
Statement<Array<int64_t>, Array<std::string>> past_operations{
    "SELECT u.account, u.idempotency_key, o.id, o.type, o.request_hash "
    "FROM unnest($1, $2) AS u(account, idempotency_key) CROSS JOIN LATERAL "
    "(SELECT p.id, p.type, p.request_hash FROM credits.operations p "
    "WHERE p.account = u.account AND p.idempotency_key = u.idempotency_key LIMIT 1) o"};
Statement<Array<std::string>> accounts_by_key{
    "SELECT id, key, parent FROM credits.accounts WHERE key = ANY($1)"};
Statement<Array<int64_t>> open_grants_of{
    "SELECT g.account, " OPEN_GRANT_COLUMNS
    " FROM credits.grants g JOIN credits.kinds k ON k.kind = g.kind "
    "WHERE g.account = ANY($1) AND g.is_open"};
Statement<int32_t> next_operation_ids{
    "SELECT nextval('credits.operations_id_seq') AS id FROM generate_series(1, $1)"};
Statement<Array<int64_t>, Array<int64_t>, Array<std::string>, Array<int128>,
          Array<std::optional<std::string>>, Array<Bytes>, Array<std::optional<std::string>>,
          Array<Jsonb>, Array<std::optional<int64_t>>, Timestamp, Timestamp, std::string,
          std::string>
    insert_operations{
        "INSERT INTO credits.operations (id, account, type, amount, idempotency_key, "
        "request_hash, reference, metadata, on_behalf_of, effective_at, recorded_at, actor, "
        "actor_role) SELECT u.*, $10, $11, $12, $13 "
        "FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9) AS u"};
// One element of the requests array.
struct Request {
    bool is_null = true;
    std::optional<std::string> account;
    std::optional<int128> amount;
    std::optional<std::string> key;
    std::optional<std::string> reference;
    Datum metadata = 0; // jsonb; 0: NULL, taken as {}
    std::string metadata_text = "{}";
};

// The requests of a credits.debit_request[] (plain frame: PostgreSQL calls).
void read_requests(ArrayType* array, std::vector<Request>& out) {
    Oid element_type = ARR_ELEMTYPE(array);
    TupleDesc desc = lookup_rowtype_tupdesc(element_type, -1);
    int16 len;
    bool byval;
    char align;
    get_typlenbyvalalign(element_type, &len, &byval, &align);
    Datum* elements;
    bool* nulls;
    int n;
    deconstruct_array(array, element_type, len, byval, align, &elements, &nulls, &n);
    Oid jsonb_out = 0;
    bool varlena;
    getTypeOutputInfo(JSONBOID, &jsonb_out, &varlena);
    out.resize(n);
    for (int i = 0; i < n; i++) {
        if (nulls[i])
            continue;
        HeapTupleHeader row = DatumGetHeapTupleHeader(elements[i]);
        HeapTupleData tuple;
        tuple.t_len = HeapTupleHeaderGetDatumLength(row);
        tuple.t_data = row;
        Request& r = out[i];
        r.is_null = false;
        bool isnull;
        Datum d = heap_getattr(&tuple, 1, desc, &isnull);
        if (!isnull)
            r.account = TextDatumGetCString(d);
        d = heap_getattr(&tuple, 2, desc, &isnull);
        if (!isnull)
            r.amount = credit_value(d);
        d = heap_getattr(&tuple, 3, desc, &isnull);
        if (!isnull)
            r.key = TextDatumGetCString(d);
        d = heap_getattr(&tuple, 4, desc, &isnull);
        if (!isnull)
            r.reference = TextDatumGetCString(d);
        d = heap_getattr(&tuple, 5, desc, &isnull);
        if (!isnull) {
            r.metadata = d;
            r.metadata_text = OidOutputFunctionCall(jsonb_out, d);
        }
    }
    ReleaseTupleDesc(desc);
}

// An operation recorded before the batch under one of its keys.
struct PastOperation {
    int64_t id;
    bool debit;
    bool hashed;
    uint8_t hash[core::kHashSize];
};

// The outcome of one request.
struct Outcome {
    bool ok = false;
    std::optional<int64_t> operation;   // replayed or, after writing, recorded
    std::optional<std::size_t> same_as; // a repeat of an earlier request of the batch
    std::string sqlstate, message, detail;
    std::optional<int128> balance_after;
    uint8_t hash[core::kHashSize] = {};
};

[[noreturn]] void fail(const char* sqlstate, const std::string& message) {
    throw core::Error(sqlstate, message);
}

class Batch {
  public:
    Batch(std::vector<Request> requests, bool all) : requests_(std::move(requests)), all_(all) {}

    // Locks the accounts, plans every request, writes; fills the outcomes.
    void run(Spi& spi) {
        outcomes_.resize(requests_.size());
        lock(spi);
        for (std::size_t i = 0; i < requests_.size(); i++) {
            try {
                plan(spi, i);
            } catch (const core::Error& e) {
                if (all_)
                    throw;
                outcomes_[i].sqlstate = e.sqlstate();
                outcomes_[i].message = e.what();
            }
        }
        write(spi);
    }
    const std::vector<Outcome>& outcomes() const { return outcomes_; }

  private:
    // Locks every account named (and the ancestors of those in pools) in
    // id order, with one statement, and reads their open grants with one.
    void lock(Spi& spi) {
        std::set<std::string> keys;
        for (const Request& r : requests_)
            if (!r.is_null && r.account)
                keys.insert(*r.account);
        uint64_t n = spi.read(accounts_by_key, Array<std::string>{{keys.begin(), keys.end()}});
        std::vector<int64_t> ids;
        std::vector<std::string> pooled;
        for (uint64_t i = 0; i < n; i++) {
            ids.push_back(spi.get<int64_t>(i, "id"));
            if (spi.get<std::optional<int64_t>>(i, "parent"))
                pooled.push_back(spi.get<std::string>(i, "key"));
        }
        std::map<std::string, std::vector<std::string>> chains;
        for (const std::string& key : pooled) { // a pool's ancestors are locked with it
            chains[key] = ancestor_keys(spi, key);
            for (const std::string& up : chains[key])
                if (std::optional<int64_t> id = account_id(spi, up))
                    ids.push_back(*id);
        }
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        LedgerClock clock = ledger_clock();
        t_ = clock.now;
        std::vector<AccountRow> rows = lock_accounts(spi, ids);
        for (const AccountRow& row : rows)
            t_ = std::max(t_, effective_time(clock, row));
        std::map<int64_t, std::vector<core::OpenGrant>> grants;
        n = spi.run(open_grants_of, Array<int64_t>{ids});
        for (uint64_t i = 0; i < n; i++)
            grants[spi.get<int64_t>(i, "account")].push_back(read_open_grant(spi, i));
        for (AccountRow& row : rows) {
            BatchAccount& a = accounts_[row.key];
            a.ancestors = chains[row.key];
            a.row = std::move(row);
            a.model = account_at(spi, a.row, t_, false, &a.returned, &grants[a.row.id]);
        }
        read_past_operations(spi);
    }

    // Reads, with one statement and after the accounts are locked, the
    // operations recorded before the batch under the requests' keys.
    void read_past_operations(Spi& spi) {
        Array<int64_t> account;
        Array<std::string> key;
        for (const Request& r : requests_) {
            if (r.is_null || !r.account || !r.key)
                continue;
            auto found = accounts_.find(*r.account);
            if (found == accounts_.end())
                continue;
            account.items.push_back(found->second.row.id);
            key.items.push_back(*r.key);
        }
        if (account.items.empty())
            return;
        uint64_t n = spi.run(past_operations, account, key);
        for (uint64_t i = 0; i < n; i++) {
            PastOperation& past =
                past_[{spi.get<int64_t>(i, "account"), spi.get<std::string>(i, "idempotency_key")}];
            past.id = spi.get<int64_t>(i, "id");
            past.debit = spi.get<std::string>(i, "type") == "debit";
            past.hashed = spi.hash(i, "request_hash", past.hash);
        }
    }

    // Checks and plans request i on the models; throws its failure.
    void plan(Spi& spi, std::size_t i) {
        const Request& r = requests_[i];
        Outcome& out = outcomes_[i];
        if (r.is_null)
            fail(core::sqlstate::kNullValue, "request must not be NULL");
        if (!r.account)
            fail(core::sqlstate::kNullValue, "account must not be NULL");
        if (!r.amount)
            fail(core::sqlstate::kNullValue, "amount must not be NULL");
        require_positive(*r.amount, "amount");
        auto found = accounts_.find(*r.account);
        if (found == accounts_.end())
            throw core::Error(kAccountNotFound, "account \"" + *r.account + "\" does not exist", "",
                              "Open it first with credits.open_account().");
        BatchAccount& a = found->second;
        RequestHash()
            .add(std::string("debit"))
            .add_amount(*r.amount)
            .add(r.reference)
            .add(r.metadata_text)
            .finish(out.hash);
        if (r.key && replayed(a, i))
            return;
        std::vector<BatchAccount*> chain = {&a};
        for (const std::string& up : a.ancestors)
            chain.push_back(&accounts_.at(up));
        std::vector<std::size_t> before;
        for (BatchAccount* c : chain) {
            require_active(c->row); // the account itself first, then its pool
            before.push_back(c->model.movements().size());
        }
        debit(spi, chain, *r.amount);
        for (std::size_t level = 0; level < chain.size(); level++) {
            std::size_t after = chain[level]->model.movements().size();
            if (after > before[level] || level == 0)
                chain[level]->writers.push_back({i, level == 0, before[level], after});
        }
        out.ok = true;
        out.balance_after = a.model.balance(t_);
        if (r.key)
            keys_[{a.row.id, *r.key}] = i;
    }

    // Whether request i repeats one under its key (in the batch or before);
    // CR004 when the key was used with other arguments.
    bool replayed(BatchAccount& a, std::size_t i) {
        const std::string& key = *requests_[i].key;
        Outcome& out = outcomes_[i];
        auto earlier = keys_.find({a.row.id, key});
        if (earlier != keys_.end()) {
            const Outcome& first = outcomes_[earlier->second];
            if (!std::equal(first.hash, first.hash + core::kHashSize, out.hash))
                key_conflict(a.row, key);
            out.ok = true;
            out.same_as = earlier->second;
            out.balance_after = a.model.balance(t_);
            return true;
        }
        auto past = past_.find({a.row.id, key});
        if (past == past_.end())
            return false;
        const PastOperation& p = past->second;
        if (!p.debit || !p.hashed || !std::equal(p.hash, p.hash + core::kHashSize, out.hash))
            key_conflict(a.row, key);
        out.ok = true;
        out.operation = p.id;
        out.balance_after = a.model.balance(t_);
        return true;
    }

    // Debits `amount` for chain[0]: its own lots, its pool's, its overdraft.
    void debit(Spi& spi, std::vector<BatchAccount*>& chain, int128 amount) {
        BatchAccount& a = *chain[0];
        std::vector<core::PoolLevel> levels;
        for (BatchAccount* c : chain) {
            int128 drawn = 0;
            if (c->row.pool_limit) {
                if (!c->held_through)
                    c->held_through = held_through(spi, c->row.id, t_, false);
                drawn = core::add(c->row.pool_drawn, *c->held_through);
            }
            levels.push_back({&c->model, c->row.pool_limit, drawn});
        }
        int128 available = 0;
        std::optional<core::PoolDraw> draw =
            core::debit(levels, amount, a.row.overdraft_limit, t_, available);
        if (!draw)
            insufficient_credits(a.model, a.row, amount, t_, available);
        for (std::size_t level = 1; level < draw->lots.size(); level++)
            for (const auto& lot : draw->lots[level])
                for (std::size_t below = 0; below < level; below++)
                    chain[below]->row.pool_drawn =
                        core::add(chain[below]->row.pool_drawn, lot.second);
    }

    // Records the operations in request order, then the grants' remaining,
    // every account's entries (hashed here, each continuing its account's
    // chain; the trigger checks and stores the same hash) and the accounts'
    // figures: one statement each.
    void write(Spi& spi) {
        int64_t recorded_at = now_wallclock();
        // operations, in request order: the request's own, then its pool records
        std::vector<Written> order;
        for (auto& [key, a] : accounts_)
            for (auto& w : a.writers)
                order.push_back({w.request, &w, &a});
        if (order.empty())
            return;
        std::stable_sort(order.begin(), order.end(), [](const Written& x, const Written& y) {
            return std::make_pair(x.request, !x.writer->own) <
                   std::make_pair(y.request, !y.writer->own);
        });
        std::vector<int64_t> op_ids = next_ids(spi, next_operation_ids, order.size());
        Array<int64_t> id, account;
        Array<std::string> type;
        Array<int128> amount;
        Array<std::optional<std::string>> key, reference;
        Array<Bytes> hash;
        Array<Jsonb> metadata;
        Array<std::optional<int64_t>> on_behalf_of;
        std::map<const BatchAccount::Writer*, core::OperationFields> fields;
        for (std::size_t k = 0; k < order.size(); k++) {
            std::size_t i = order[k].request;
            BatchAccount::Writer* w = order[k].writer;
            const Request& r = requests_[i];
            w->operation = op_ids[k];
            if (w->own)
                outcomes_[i].operation = w->operation;
            core::OperationFields& f = fields[w];
            f.type = w->own ? "debit" : "pool_debit";
            f.amount = *r.amount;
            f.idempotency_key = w->own ? r.key : std::nullopt;
            f.reference = r.reference;
            id.items.push_back(w->operation);
            account.items.push_back(order[k].account->row.id);
            type.items.push_back(f.type);
            amount.items.push_back(*r.amount);
            key.items.push_back(f.idempotency_key);
            hash.items.push_back(Bytes{outcomes_[i].hash, core::kHashSize});
            reference.items.push_back(r.reference);
            metadata.items.push_back(Jsonb{r.metadata ? r.metadata : empty_jsonb()});
            on_behalf_of.items.push_back(w->own ? std::nullopt
                                                : std::optional<int64_t>(*outcomes_[i].operation));
        }
        Actor actor = current_actor();
        spi.run(insert_operations, id, account, type, amount, key, hash, reference, metadata,
                on_behalf_of, t_, recorded_at, actor.session, actor.role);
        for (auto& [name, a] : accounts_) // grants rolled over before the batch's debits
            if (!a.writers.empty())
                write_rolled_grants(spi, a.writers.front().operation, a.model);
        write_journal(spi, accounts_, order, fields, t_, recorded_at);
        for (auto& [name, a] : accounts_)
            if (!a.writers.empty()) {
                mark_returned(spi, a.returned, a.writers.front().operation);
                signal_account(spi, a.row, a.writers.back().operation, a.model, t_);
            }
        for (Outcome& out : outcomes_)
            if (out.same_as)
                out.operation = outcomes_[*out.same_as].operation;
    }

    std::vector<Request> requests_;
    bool all_;
    std::vector<Outcome> outcomes_;
    std::map<std::string, BatchAccount> accounts_;
    std::map<std::pair<int64_t, std::string>, std::size_t> keys_;   // first request per key
    std::map<std::pair<int64_t, std::string>, PastOperation> past_; // keys used before
    int64_t t_ = 0;
};

} // namespace

// credits.debit_many(requests, mode): one row per request.
CREDITS_FUNCTION(credits_debit_many) {
    required_arg(fcinfo, 0, "requests");
    std::string mode = required_text(fcinfo, 1, "mode");
    if (mode != "each" && mode != "all")
        invalid("mode must be 'each' or 'all', not '" + mode + "'");
    std::vector<Request> requests;
    guarded([&] { read_requests(PG_GETARG_ARRAYTYPE_P(0), requests); });
    ResultSet result(fcinfo);
    Batch batch(std::move(requests), mode == "all");
    Spi spi;
    batch.run(spi);
    spi.finish();
    const auto& outcomes = batch.outcomes();
    for (std::size_t i = 0; i < outcomes.size(); i++) {
        const Outcome& o = outcomes[i];
        Datum values[5] = {Int32GetDatum(static_cast<int32_t>(i + 1)), 0, 0, 0, 0};
        bool nulls[5] = {false, !o.operation, o.ok, o.ok, !o.balance_after};
        guarded([&] {
            if (o.operation)
                values[1] = Int64GetDatum(*o.operation);
            if (!o.ok) {
                values[2] = CStringGetTextDatum(o.sqlstate.c_str());
                values[3] = CStringGetTextDatum(o.message.c_str());
            }
            if (o.balance_after)
                values[4] = credit_datum(*o.balance_after);
        });
        result.add(values, nulls);
    }
    return 0;
}

} // namespace credits::pg
