// Crash-soak load driver (libpq): 16 connections run grants, debits,
// try_debits and idempotent retries on skewed accounts while scripts/soak.sh
// kills the server with kill -9 and restarts it. Every acknowledged result
// is appended to a per-connection log with fdatasync before the next
// request; a request whose connection is lost is retried with the same
// idempotency key until it is acknowledged. `verify` then checks the ledger
// against the logs.
//
//   soak_driver run DIR [threads] [accounts] [seed]   until DIR/stop exists
//   soak_driver verify DIR crashes
#include <libpq-fe.h>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Conn = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

// Connects (libpq's environment: PGHOST, PGPORT, PGDATABASE, PGUSER),
// retrying while the server is down; gives up after two minutes.
Conn connect_retrying() {
    for (int attempt = 0;; attempt++) {
        Conn conn(PQconnectdb(""), &PQfinish);
        if (PQstatus(conn.get()) == CONNECTION_OK)
            return conn;
        if (attempt == 600) {
            std::fprintf(stderr, "soak: no server for two minutes: %s\n",
                         PQerrorMessage(conn.get()));
            std::exit(3);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

// The outcome of one request: an id, "insufficient" (CR001), "null"
// (try_debit refused), a lost connection, or another error.
struct Outcome {
    enum Kind { Id, Insufficient, Null, Lost, Failed } kind;
    std::string value; // the id, or the error
};

Outcome execute(PGconn* conn, const std::string& sql, const std::vector<std::string>& params) {
    std::vector<const char*> values;
    for (const std::string& p : params)
        values.push_back(p.c_str());
    Result res(PQexecParams(conn, sql.c_str(), int(values.size()), nullptr, values.data(), nullptr,
                            nullptr, 0),
               &PQclear);
    if (PQstatus(conn) != CONNECTION_OK || res == nullptr)
        return {Outcome::Lost, ""};
    if (PQresultStatus(res.get()) == PGRES_TUPLES_OK) {
        if (PQgetisnull(res.get(), 0, 0))
            return {Outcome::Null, ""};
        return {Outcome::Id, PQgetvalue(res.get(), 0, 0)};
    }
    const char* state = PQresultErrorField(res.get(), PG_DIAG_SQLSTATE);
    std::string code = state ? state : "";
    if (code == "CR001")
        return {Outcome::Insufficient, ""};
    // class 08 (connection), 57P01..57P03 (shutdown, crash, not yet up)
    if (code.empty() || code.compare(0, 2, "08") == 0 || code.compare(0, 3, "57P") == 0)
        return {Outcome::Lost, code};
    return {Outcome::Failed, code + " " + PQresultErrorMessage(res.get())};
}

// Sends a request until the server answers it: a lost connection is
// reconnected and the same request (same idempotency key) sent again.
Outcome answered(Conn& conn, const std::string& sql, const std::vector<std::string>& params,
                 std::atomic<long>& retries) {
    for (;;) {
        Outcome out = execute(conn.get(), sql, params);
        if (out.kind != Outcome::Lost)
            return out;
        retries++;
        conn = connect_retrying();
    }
}

std::string amount_text(int cents) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%d.%02d", cents / 100, cents % 100);
    return buf;
}

struct Shared {
    std::string dir;
    int accounts;
    std::atomic<long> acknowledged{0};
    std::atomic<long> retries_after_loss{0};
    std::atomic<long> failures{0};
};

// One connection's loop: pick an operation, send it until acknowledged,
// log the acknowledgement durably.
void worker(Shared& shared, int thread, unsigned seed) {
    std::mt19937_64 rng(seed * 7919 + thread);
    std::uniform_real_distribution<double> unit(0, 1);
    std::string log_path = shared.dir + "/ack-" + std::to_string(thread) + ".log";
    int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log < 0) {
        std::perror(log_path.c_str());
        std::exit(2);
    }
    Conn conn = connect_retrying();
    std::string stop = shared.dir + "/stop";
    for (long n = 0; access(stop.c_str(), F_OK) != 0; n++) {
        double u = unit(rng);
        int account = int(shared.accounts * u * u * u); // skewed: a few hot accounts
        std::string key =
            "soak-" + std::to_string(seed) + "-" + std::to_string(thread) + "-" + std::to_string(n);
        std::string acct = "soak-" + std::to_string(account);
        double r = unit(rng);
        std::string op, sql;
        int cents;
        if (r < 0.3) {
            op = "G";
            cents = 100 + int(unit(rng) * 9900);
            sql = "SELECT credits.grant_credits($1, $2, idempotency_key => $3)";
        } else if (r < 0.8) {
            op = "D";
            cents = 1 + int(unit(rng) * 2000);
            sql = "SELECT credits.debit($1, $2, $3)";
        } else {
            op = "T";
            cents = 1 + int(unit(rng) * 2000);
            sql = "SELECT credits.try_debit($1, $2, $3)";
        }
        std::vector<std::string> params = {acct, amount_text(cents), key};
        Outcome out = answered(conn, sql, params, shared.retries_after_loss);
        if (out.kind == Outcome::Failed) {
            shared.failures++;
            std::fprintf(stderr, "thread %d: %s failed: %s\n", thread, key.c_str(),
                         out.value.c_str());
            continue;
        }
        // an idempotent retry of a success must return the same id
        if (out.kind == Outcome::Id && unit(rng) < 0.05) {
            Outcome again = answered(conn, sql, params, shared.retries_after_loss);
            if (again.kind != Outcome::Id || again.value != out.value) {
                shared.failures++;
                std::fprintf(stderr, "thread %d: retry of %s returned %s, not %s\n", thread,
                             key.c_str(), again.value.c_str(), out.value.c_str());
            }
        }
        std::string result = out.kind == Outcome::Id             ? out.value
                             : out.kind == Outcome::Insufficient ? "insufficient"
                                                                 : "null";
        std::string line =
            op + " " + key + " " + acct + " " + std::to_string(cents) + " " + result + "\n";
        if (write(log, line.data(), line.size()) != ssize_t(line.size()) || fdatasync(log) != 0) {
            std::perror("ack log");
            std::exit(2);
        }
        shared.acknowledged++;
    }
    close(log);
}

int run(const std::string& dir, int threads, int accounts, unsigned seed) {
    Shared shared;
    shared.dir = dir;
    shared.accounts = accounts;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; t++)
        pool.emplace_back(worker, std::ref(shared), t, seed);
    for (std::thread& t : pool)
        t.join();
    std::printf("driver: %ld acknowledged, %ld requests retried after a lost connection, %ld "
                "failed\n",
                shared.acknowledged.load(), shared.retries_after_loss.load(),
                shared.failures.load());
    return shared.failures == 0 ? 0 : 1;
}

// One acknowledged request, from the logs.
struct Ack {
    std::string op, key, account, result;
    long cents;
};

std::vector<Ack> read_acks(const std::string& dir) {
    std::vector<Ack> acks;
    for (int t = 0; t < 256; t++) {
        std::ifstream in(dir + "/ack-" + std::to_string(t) + ".log");
        if (!in)
            continue;
        Ack a;
        while (in >> a.op >> a.key >> a.account >> a.cents >> a.result)
            acks.push_back(a);
    }
    return acks;
}

// Rows of a query as vectors of text (NULL as "").
std::vector<std::vector<std::string>> rows(PGconn* conn, const char* sql) {
    Result res(PQexec(conn, sql), &PQclear);
    if (PQresultStatus(res.get()) != PGRES_TUPLES_OK) {
        std::fprintf(stderr, "verify: %s\n", PQerrorMessage(conn));
        std::exit(2);
    }
    std::vector<std::vector<std::string>> out(PQntuples(res.get()));
    for (int i = 0; i < PQntuples(res.get()); i++)
        for (int j = 0; j < PQnfields(res.get()); j++)
            out[i].push_back(PQgetvalue(res.get(), i, j));
    return out;
}

// Hundredths from a credit's text (the soak's amounts have two decimals).
long cents_of(const std::string& text) {
    std::size_t dot = text.find('.');
    std::string whole = text.substr(0, dot),
                frac = dot == std::string::npos ? "" : text.substr(dot + 1);
    frac = (frac + "00").substr(0, 2);
    bool negative = !whole.empty() && whole[0] == '-';
    long v = std::labs(std::stol(whole)) * 100 + std::stol(frac);
    return negative ? -v : v;
}

int verify(const std::string& dir, int crashes) {
    std::vector<Ack> acks = read_acks(dir);
    Conn conn(PQconnectdb(""), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK) {
        std::fprintf(stderr, "verify: %s\n", PQerrorMessage(conn.get()));
        return 2;
    }
    // every soak operation in the ledger: key -> (operation id, type, grant id)
    std::map<std::string, std::vector<std::string>> ledger;
    std::map<std::string, int> copies;
    for (auto& r :
         rows(conn.get(), "SELECT o.idempotency_key, o.id, o.type, g.id FROM credits.operations o "
                          "LEFT JOIN credits.grants g ON g.operation = o.id "
                          "WHERE o.idempotency_key LIKE 'soak-%'")) {
        copies[r[0]]++;
        ledger[r[0]] = r;
    }
    long lost = 0, duplicated = 0, phantom = 0, unacknowledged = 0;
    std::map<std::string, long> expected; // account -> balance in hundredths
    std::set<std::string> acked_keys;
    for (const Ack& a : acks) {
        if (!acked_keys.insert(a.key).second)
            duplicated++; // acknowledged twice
        auto it = ledger.find(a.key);
        bool applied = a.result != "insufficient" && a.result != "null";
        if (!applied) {
            if (it != ledger.end())
                phantom++; // refused, yet recorded
            continue;
        }
        std::string id = it == ledger.end() ? "" : a.op == "G" ? it->second[3] : it->second[1];
        if (id != a.result) {
            lost++;
            std::fprintf(stderr, "lost: %s %s acknowledged as %s, ledger has %s\n", a.op.c_str(),
                         a.key.c_str(), a.result.c_str(), id.empty() ? "nothing" : id.c_str());
        }
        expected[a.account] += a.op == "G" ? a.cents : -a.cents;
    }
    for (const auto& [key, n] : copies) {
        if (n > 1)
            duplicated += n - 1;
        if (!acked_keys.count(key))
            unacknowledged++; // applied, but never acknowledged to the client
    }
    long mismatches = 0;
    for (auto& r : rows(conn.get(), "SELECT key, credits.balance(key)::text FROM credits.accounts "
                                    "WHERE key LIKE 'soak-%'")) {
        if (cents_of(r[1]) != expected[r[0]]) {
            mismatches++;
            std::fprintf(stderr, "balance of %s is %s, the acknowledged log says %ld.%02ld\n",
                         r[0].c_str(), r[1].c_str(), expected[r[0]] / 100,
                         std::labs(expected[r[0]] % 100));
        }
    }
    long problems = long(rows(conn.get(), "SELECT * FROM credits.check_invariants()").size());
    long broken =
        long(rows(conn.get(), "SELECT * FROM credits.verify_chain() WHERE NOT ok").size());
    bool ok = !acks.empty() && lost == 0 && duplicated == 0 && phantom == 0 &&
              unacknowledged == 0 && mismatches == 0 && problems == 0 && broken == 0;
    std::printf("%zu ops acknowledged, %d crashes, %ld lost, %ld duplicated, %ld phantom, %ld "
                "unacknowledged, %ld balance mismatches, %ld invariant problems, %ld broken "
                "chains\n",
                acks.size(), crashes, lost, duplicated, phantom, unacknowledged, mismatches,
                problems, broken);
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "run" && argc >= 3)
        return run(argv[2], argc > 3 ? std::atoi(argv[3]) : 16, argc > 4 ? std::atoi(argv[4]) : 50,
                   argc > 5 ? unsigned(std::atoi(argv[5])) : 1);
    if (mode == "verify" && argc == 4)
        return verify(argv[2], std::atoi(argv[3]));
    std::fprintf(stderr, "usage: %s run DIR [threads] [accounts] [seed] | verify DIR crashes\n",
                 argv[0]);
    return 2;
}
