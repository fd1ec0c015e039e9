package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

// handleTimeline lists what happened on the record of the given type, newest
// first: activities, tasks, notes, field changes and (deals) stage changes.
func (s *Server) handleTimeline(entityType string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		p, err := page(r)
		if err != nil {
			return err
		}
		items, next, err := s.svc.Timeline(r.Context(), actor(r), entityType, id, p)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, List[*attain.TimelineItem]{Items: nonNil(items), NextCursor: next})
	}
}
