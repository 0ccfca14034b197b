// Command ferretdb runs FerretDB v1 with its SQLite backend through FerretDB's embeddable
// package, for the project's embedded default and its tests. FerretDB's own command refuses
// to start when it is built from the Go module proxy (its version file is generated at
// release time), while the embeddable package needs nothing of the sort and never sends
// telemetry.
//
// Alongside FerretDB it runs an index keeper (see keepIDIndexes): FerretDB looks documents up
// by _id with an SQL expression its own _id index does not match, so without the keeper every
// lookup, update and delete by _id reads the whole collection.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver FerretDB itself uses
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	sqliteURL := flag.String("sqlite-url", "", "SQLite directory URI, e.g. file:/path/to/dir/ (must end with /)")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn, error")
	flag.Parse()

	if *sqliteURL == "" {
		fmt.Fprintln(os.Stderr, "ferretdb: --sqlite-url is required")
		os.Exit(2)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad --log-level: %v\n", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: *sqliteURL,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	keeperDone := make(chan struct{})
	go func() {
		defer close(keeperDone)
		if dir, ok := sqliteDir(*sqliteURL); ok {
			keepIDIndexes(ctx, dir, logger)
		}
	}()

	logger.Info("listening", "addr", *listen, "sqlite", *sqliteURL)
	err = f.Run(ctx)
	stop()
	<-keeperDone
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}
}

// idIndexSuffix names the keeper's index on each collection table: "<table>__id_lookup".
const idIndexSuffix = "__id_lookup"

// sqliteDir returns the directory holding the database files named by --sqlite-url, or false
// when FerretDB keeps its databases in memory (there is no file to index then).
func sqliteDir(sqliteURL string) (string, bool) {
	u, err := url.Parse(sqliteURL)
	if err != nil || u.Query().Get("mode") == "memory" {
		return "", false
	}
	if u.Path != "" {
		return u.Path, true
	}
	return u.Opaque, u.Opaque != ""
}

// keepIDIndexes gives every collection an index on the expression FerretDB's SQLite backend
// filters by when a query, update or delete names a single _id (_ferretdb_sjson->'$._id').
// FerretDB's own unique _id index is built on _ferretdb_sjson->"_id", which SQLite does not
// treat as the same expression, so without this index such lookups scan the whole table.
//
// It checks every database file right away and then once a second, so a new collection is
// covered moments after its creation, until ctx ends. Errors are logged and retried on the
// next pass; they never stop FerretDB.
func keepIDIndexes(ctx context.Context, dir string, logger *slog.Logger) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		files, err := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		if err != nil {
			logger.Warn("index keeper: listing databases failed", "dir", dir, "error", err)
		}
		for _, file := range files {
			if err := ensureIDIndexes(ctx, file, logger); err != nil && ctx.Err() == nil {
				logger.Warn("index keeper: pass failed, retrying in a second", "file", file, "error", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// ensureIDIndexes creates the missing _id lookup indexes of one database file. It opens the
// file only for the pass and never creates it (mode=rw), so a database FerretDB drops
// meanwhile stays dropped. In the steady state it only reads: one look at the schema.
func ensureIDIndexes(ctx context.Context, file string, logger *slog.Logger) error {
	// A zero-length file is a database FerretDB is still creating (it has not switched it
	// to WAL yet); leave it alone until the next pass.
	if fi, err := os.Stat(file); err != nil || fi.Size() == 0 {
		return nil
	}

	// Same busy timeout as FerretDB's own connections: while one side writes, the other
	// waits instead of failing. The file is already in WAL mode, where readers and a
	// writer do not block each other, so nothing else needs setting.
	dsn := (&url.URL{Scheme: "file", Path: file, RawQuery: "mode=rw&_pragma=busy_timeout(10000)"}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	var ready bool
	err = db.QueryRowContext(ctx,
		`SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '_ferretdb_collections'`,
	).Scan(&ready)
	if err != nil || !ready {
		return err // not ready: FerretDB has not written its collection list yet
	}

	// Collection tables that exist and lack the index.
	rows, err := db.QueryContext(ctx, `
		SELECT c.table_name FROM _ferretdb_collections c
		WHERE EXISTS (SELECT 1 FROM sqlite_master t WHERE t.type = 'table' AND t.name = c.table_name)
		AND NOT EXISTS (SELECT 1 FROM sqlite_master i
			WHERE i.type = 'index' AND i.name = c.table_name || ? COLLATE NOCASE)`,
		idIndexSuffix)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	var errs []error
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON %s (_ferretdb_sjson->'$._id')`,
			quoteIdent(t+idIndexSuffix), quoteIdent(t))
		if _, err := db.ExecContext(ctx, q); err != nil {
			errs = append(errs, fmt.Errorf("table %s: %w", t, err))
			continue
		}
		logger.Info("index keeper: created _id lookup index", "file", file, "table", t)
	}
	return errors.Join(errs...)
}

// quoteIdent quotes an SQLite identifier: collection names, and so table names, may contain
// any character, double quotes included.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
