package store

import (
	"container/list"
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps SQLite's reader statements prepared, by SQL text, and
// drops the least recently used beyond its size. Parsing and planning a
// statement costs about as much as running a small indexed read, and the
// reads of a page repeat the same few texts. database/sql prepares a cached
// statement once on each reader connection that runs it.
type stmtCache struct {
	db   *sql.DB
	size int

	mu    sync.Mutex
	order *list.List // of *stmtEntry, most recently used first
	byQ   map[string]*list.Element
}

type stmtEntry struct {
	q    string
	stmt *sql.Stmt
}

func newStmtCache(db *sql.DB, size int) *stmtCache {
	return &stmtCache{db: db, size: size, order: list.New(), byQ: map[string]*list.Element{}}
}

// stmt returns q prepared for tx: from the cache, or prepared and cached.
func (c *stmtCache) stmt(ctx context.Context, tx *sql.Tx, q string) (*sql.Stmt, error) {
	c.mu.Lock()
	if e, ok := c.byQ[q]; ok {
		c.order.MoveToFront(e)
		s := e.Value.(*stmtEntry).stmt
		c.mu.Unlock()
		return tx.StmtContext(ctx, s), nil
	}
	c.mu.Unlock()
	// Prepared on a spare connection of the pool (see sqliteReaders), then
	// again on tx's connection by StmtContext.
	s, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if e, ok := c.byQ[q]; ok { // prepared meanwhile by another reader
		c.mu.Unlock()
		s.Close()
		return tx.StmtContext(ctx, e.Value.(*stmtEntry).stmt), nil
	}
	c.byQ[q] = c.order.PushFront(&stmtEntry{q: q, stmt: s})
	var evicted *sql.Stmt
	if c.order.Len() > c.size {
		last := c.order.Back()
		c.order.Remove(last)
		old := last.Value.(*stmtEntry)
		delete(c.byQ, old.q)
		evicted = old.stmt
	}
	c.mu.Unlock()
	if evicted != nil {
		// database/sql closes it once the transactions using it are done.
		evicted.Close()
	}
	return tx.StmtContext(ctx, s), nil
}

// close closes every cached statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for e := c.order.Front(); e != nil; e = e.Next() {
		e.Value.(*stmtEntry).stmt.Close()
	}
	c.order.Init()
	clear(c.byQ)
}
