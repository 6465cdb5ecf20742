// Helpers for credits from Go with pgx: amounts go in as shopspring
// decimals (or ints, strings, float64s) and come back exactly as decimals.
package main

import (
	"context"
	"errors"

	"github.com/jackc/pgconn"
	"github.com/jackc/pgx/v4/pgxpool"
	"github.com/shopspring/decimal"
)

// Connect opens a pool from libpq's environment variables (PGHOST, ...).
func Connect(ctx context.Context) (*pgxpool.Pool, error) {
	return pgxpool.Connect(ctx, "")
}

// Debit debits amount and returns the operation id. A decimal.Decimal is
// bound as its exact text (it is a driver.Valuer); credit's OID is not
// known to pgx, so the server parses that text as a credit.
func Debit(ctx context.Context, pool *pgxpool.Pool, account string, amount decimal.Decimal, key string) (int64, error) {
	var id int64
	err := pool.QueryRow(ctx, "SELECT credits.debit($1, $2, $3)", account, amount, key).Scan(&id)
	return id, err
}

// Balance reads the balance exactly: credit arrives as text, which
// decimal.Decimal's sql.Scanner parses without rounding.
func Balance(ctx context.Context, pool *pgxpool.Pool, account string) (decimal.Decimal, error) {
	var balance decimal.Decimal
	err := pool.QueryRow(ctx, "SELECT credits.balance($1)", account).Scan(&balance)
	return balance, err
}

// SQLState is the SQLSTATE of a server error ("CR001": insufficient
// credits), or "" for any other error.
func SQLState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}
