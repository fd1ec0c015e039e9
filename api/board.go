package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

// handleDealTotals serves GET /api/v1/deals/totals: the count and total
// amount of the visible deals by stage and currency, with the deal list's
// filters (pipeline_id=3&owner_id=7&close_date[gte]=2026-10-01).
func (s *Server) handleDealTotals(w http.ResponseWriter, r *http.Request) error {
	q, err := listQuery(r)
	if err != nil {
		return err
	}
	ts, err := s.svc.FindDealTotals(r.Context(), actor(r), q.Filters)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, dealTotals{Items: nonNil(ts)})
}

// dealTotals is the answer of GET /api/v1/deals/totals: every stage and
// currency with at least one deal, not a page.
type dealTotals struct {
	Items []*attain.DealTotal `json:"items"`
}
