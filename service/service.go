// Package service applies Attain's rules: it checks who may do what, owns
// transactions, and writes the audit log beside every change. The API, the
// CLI and jobs all go through it.
package service

import (
	"log/slog"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/analytics"
	"github.com/attain-crm/attain/store"
)

// Service implements the domain's service interfaces over the store.
type Service struct {
	db     *store.DB
	log    *slog.Logger
	hasher *PasswordHasher
	// imports tracks the CSV imports running in this process.
	imports importRuns
	// analytics holds the in-memory analytics models of this process.
	analytics *analytics.Engine
	// repFacts keeps the rep dashboards' decision-maker and activity facts.
	repFacts repFactsCache
	// targets keeps the approved targets the dashboards read.
	targets targetsCache
	// bases keeps each workspace's analytics configuration.
	bases baseCache
	// warm computes rep dashboards ahead of their first request.
	warm warmer
}

var (
	_ attain.UserService      = (*Service)(nil)
	_ attain.TeamService      = (*Service)(nil)
	_ attain.TokenService     = (*Service)(nil)
	_ attain.AuthService      = (*Service)(nil)
	_ attain.AuditService     = (*Service)(nil)
	_ attain.WorkspaceService = (*Service)(nil)
	_ attain.PicklistService  = (*Service)(nil)
	_ attain.PipelineService  = (*Service)(nil)
	_ attain.ProductService   = (*Service)(nil)
	_ attain.DealService      = (*Service)(nil)
	// Accounts, contacts, buying roles, leads.
	_ attain.AccountService     = (*Service)(nil)
	_ attain.ContactService     = (*Service)(nil)
	_ attain.ContactRoleService = (*Service)(nil)
	_ attain.LeadService        = (*Service)(nil)
	// Search across them.
	_ attain.SearchService = (*Service)(nil)
)

// New returns the services over db. A nil hasher uses the production
// argon2id parameters.
func New(db *store.DB, log *slog.Logger, hasher *PasswordHasher) *Service {
	if hasher == nil {
		hasher = DefaultHasher()
	}
	return &Service{db: db, log: log, hasher: hasher, analytics: analytics.NewEngine(db)}
}

// DB returns the store, for the few callers (health checks, backups) that
// need it directly.
func (s *Service) DB() *store.DB { return s.db }
