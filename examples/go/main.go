// Credits from Go with pgx v4 and shopspring/decimal (Debian:
// golang-github-jackc-pgx-v4-dev, golang-github-shopspring-decimal-dev).
//
//	PGDATABASE=app go run .
package main

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/jackc/pgconn"
	"github.com/shopspring/decimal"
)

func main() {
	ctx := context.Background()
	pool, err := Connect(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, "SELECT credits.open_account($1), credits.grant_credits($1, $2)",
		"go-example", decimal.RequireFromString("100.50")); err != nil {
		log.Fatal(err)
	}
	if _, err := Debit(ctx, pool, "go-example", decimal.RequireFromString("12.25"), "order-1"); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "CR001" { // insufficient credits
			fmt.Println("declined:", pgErr.Message, pgErr.Detail)
		}
		log.Fatal(err)
	}
	balance, err := Balance(ctx, pool, "go-example")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(balance.String()) // 88.25
}
