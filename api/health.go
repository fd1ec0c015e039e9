package api

import (
	"context"
	"net/http"
	"time"

	"github.com/attain-crm/attain"
)

type health struct {
	Status string `json:"status"`
	Engine string `json:"engine,omitempty"`
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, health{Status: "ok"})
}

func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	db := s.svc.DB()
	if err := db.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "not ready", "err", err)
		return writeJSON(w, http.StatusServiceUnavailable, health{Status: "database unavailable", Engine: db.Engine()})
	}
	if err := db.CheckSchema(ctx); err != nil {
		return writeJSON(w, http.StatusServiceUnavailable, health{Status: err.Error(), Engine: db.Engine()})
	}
	return writeJSON(w, http.StatusOK, health{Status: "ok", Engine: db.Engine()})
}

func (s *Server) handleListAudit(w http.ResponseWriter, r *http.Request) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := attain.AuditFilter{EntityType: q.Get("entity_type"), Page: p}
	if f.EntityID, err = queryInt(r, "entity_id"); err != nil {
		return err
	}
	if f.ActorID, err = queryInt(r, "actor_id"); err != nil {
		return err
	}
	items, next, err := s.svc.FindAudit(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.AuditEntry]{Items: nonNil(items), NextCursor: next})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
