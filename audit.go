package attain

import (
	"context"
	"encoding/json"
	"time"
)

// AuditEntry records one write: who did what to which record, the record
// before and after, and the request that did it. Entries are append-only.
type AuditEntry struct {
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	ActorID    *int64          `json:"actor_id"`
	Action     string          `json:"action"` // create, update, delete, login, ...
	EntityType string          `json:"entity_type"`
	EntityID   int64           `json:"entity_id"`
	Before     json.RawMessage `json:"before"`
	After      json.RawMessage `json:"after"`
	RequestID  string          `json:"request_id"`
}

// AuditFilter selects audit entries; zero fields match everything.
type AuditFilter struct {
	EntityType string
	EntityID   int64
	ActorID    int64
	Page       Page
}

// AuditService reads the audit log. Writing happens inside every service's
// own transactions, never through this interface.
type AuditService interface {
	FindAudit(ctx context.Context, a *Actor, f AuditFilter) ([]*AuditEntry, string, error)
}
