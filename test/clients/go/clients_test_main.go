// The client scenario for pgx, printing TAP lines; built together with
// examples/go/credits.go by test/clients/run.sh.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/jackc/pgconn"
	"github.com/jackc/pgx/v4/pgxpool"
	"github.com/shopspring/decimal"
)

var count int

func check(description string, ok bool, diagnostic interface{}) {
	count++
	status := "ok"
	if !ok {
		status = "not ok"
	}
	fmt.Printf("%s %d - pgx: %s\n", status, count, description)
	if !ok && diagnostic != nil {
		fmt.Printf("#   %v\n", diagnostic)
	}
}

func tag() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func exec(ctx context.Context, pool *pgxpool.Pool, sql string, args ...interface{}) error {
	_, err := pool.Exec(ctx, sql, args...)
	return err
}

func main() {
	ctx := context.Background()
	pool, err := Connect(ctx)
	if err != nil {
		check("connect", false, err)
		return
	}
	defer pool.Close()
	account := "pgx-" + tag()
	if err := exec(ctx, pool, "SELECT credits.open_account($1)", account); err != nil {
		check("open_account", false, err)
		return
	}
	for _, v := range []interface{}{decimal.RequireFromString("12.5"), 7, 2.5, "0.25"} {
		err := exec(ctx, pool, "SELECT credits.grant_credits($1, $2)", account, v)
		check(fmt.Sprintf("grant_credits with %T %v", v, v), err == nil, err)
	}
	for _, v := range []interface{}{decimal.RequireFromString("1.25"), int64(1), 0.5, "0.5"} {
		err := exec(ctx, pool, "SELECT credits.debit($1, $2)", account, v)
		check(fmt.Sprintf("debit with %T %v", v, v), err == nil, err)
	}
	balance, err := Balance(ctx, pool, account)
	check("balance() scans into an exact decimal.Decimal", err == nil && balance.Equal(decimal.RequireFromString("19")), balance)
	rows, err := pool.Query(ctx, "SELECT remaining FROM credits.grants_of($1)", account)
	var remaining []string
	if err == nil {
		for rows.Next() {
			var d decimal.Decimal
			rows.Scan(&d)
			remaining = append(remaining, d.String())
		}
		rows.Close()
	}
	check("grants_of() remaining per lot, in burn order", strings.Join(remaining, " ") == "9.25 7 2.5 0.25", remaining)
	largest := "170141183460469231731687303715.884105727"
	var back decimal.Decimal
	err = pool.QueryRow(ctx, "SELECT $1::credit", decimal.RequireFromString(largest)).Scan(&back)
	check("the largest credit round-trips exactly", err == nil && back.String() == largest, back)

	// pgx encodes a float64 for a type it does not know with its own text
	// encoder, not always as the shortest form (0.1+0.2 arrives as 0.3), so
	// the check uses a value with more than 9 fractional digits either way
	err = exec(ctx, pool, "SELECT credits.debit($1, $2)", account, 1e-10)
	var pgErr *pgconn.PgError
	check("a float64 with more than 9 fractional digits is 22P02 with a hint",
		errors.As(err, &pgErr) && pgErr.Code == "22P02" && pgErr.Hint != "", err)
	err = exec(ctx, pool, "SELECT credits.debit($1, $2)", account, nil)
	check("a nil amount is 22004", SQLState(err) == "22004", err)

	key := "retry-" + tag()
	first, err1 := Debit(ctx, pool, account, decimal.NewFromInt(1), key)
	again, err2 := Debit(ctx, pool, account, decimal.NewFromInt(1), key)
	check("an idempotent retry returns the first operation", err1 == nil && err2 == nil && first == again, fmt.Sprint(first, again, err1, err2))
	_, err = Debit(ctx, pool, account, decimal.NewFromInt(2), key)
	check("the same key with another amount is CR004", SQLState(err) == "CR004", err)
	balance, _ = Balance(ctx, pool, account)
	check("the retry debited once", balance.Equal(decimal.NewFromInt(18)), balance)

	_, err = Debit(ctx, pool, account, decimal.NewFromInt(1000), "")
	pgErr = nil
	check("CR001 arrives with its SQLSTATE, message and DETAIL",
		errors.As(err, &pgErr) && pgErr.Code == "CR001" && strings.Contains(pgErr.Message, "insufficient credits") &&
			strings.Contains(pgErr.Detail, "available 18"), err)

	shared := "pgx-pool-" + tag()
	exec(ctx, pool, "SELECT credits.open_account($1)", shared)
	exec(ctx, pool, "SELECT credits.grant_credits($1, $2)", shared, decimal.NewFromInt(10))
	var wg sync.WaitGroup
	var mu sync.Mutex
	outcomes := []string{}
	start := make(chan struct{})
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := exec(ctx, pool, "SELECT credits.debit($1, $2)", shared, decimal.NewFromInt(2))
			outcome := "ok"
			if err != nil {
				outcome = SQLState(err)
			}
			mu.Lock()
			outcomes = append(outcomes, outcome)
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	sort.Strings(outcomes)
	check("8 concurrent debits: 5 succeed, 3 are CR001", strings.Join(outcomes, ",") == "CR001,CR001,CR001,ok,ok,ok,ok,ok", outcomes)
	balance, _ = Balance(ctx, pool, shared)
	check("and the balance is exactly 0", balance.IsZero(), balance)
}
