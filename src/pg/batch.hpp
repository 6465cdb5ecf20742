// credits.debit_many's batch, shared by its plan (batch_write.cpp) and its
// journal write (batch_journal.cpp).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ledger.hpp"

namespace credits::pg {

// An account of the batch: its row, locked, its model at the batch's
// instant, and the operations that write its movements, in order.
struct BatchAccount {
    AccountRow row;
    core::Account model{{}, 0};
    std::vector<HoldLot> returned;
    std::vector<std::string> ancestors; // keys, nearest first
    std::optional<int128> held_through; // read once, for a pool limit
    struct Writer {
        std::size_t request;   // whose operation
        bool own;              // the request's own operation, or its pool_debit record
        std::size_t from, to;  // its movements
        int64_t operation = 0; // assigned when written
    };
    std::vector<Writer> writers;
};

// A writer of an account, in the order operations are recorded.
struct Written {
    std::size_t request;
    BatchAccount::Writer* writer;
    BatchAccount* account;
};

// Writes the entries of every account with writers (their operations
// recorded already), the grants' remaining and the accounts' figures at t.
void write_journal(Spi& spi, std::map<std::string, BatchAccount>& accounts,
                   const std::vector<Written>& order,
                   const std::map<const BatchAccount::Writer*, core::OperationFields>& ops,
                   int64_t t, int64_t recorded_at);

// n ids from a statement that draws them from a sequence.
std::vector<int64_t> next_ids(Spi& spi, Statement<int32_t>& statement, std::size_t n);

} // namespace credits::pg
