package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

func (s *Server) handleBulkUpdateDeals(w http.ResponseWriter, r *http.Request) error {
	var in attain.BulkUpdate
	if err := decode(r, &in); err != nil {
		return err
	}
	res, err := s.svc.BulkUpdateDeals(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

// handleBulkUpdateOwners changes the owner of many records of one kind.
func (s *Server) handleBulkUpdateOwners(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in attain.BulkUpdate
		if err := decode(r, &in); err != nil {
			return err
		}
		res, err := s.svc.BulkUpdateOwners(r.Context(), actor(r), kind, in)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, res)
	}
}
