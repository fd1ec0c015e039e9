package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/attain-crm/attain"
)

// handleSearch serves GET /api/v1/search?q=acme&types=deal,account&limit=20.
// types may also be repeated (types=deal&types=account).
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q := attain.SearchQuery{Q: v.Get("q")}
	for _, t := range v["types"] {
		q.Types = append(q.Types, strings.Split(t, ",")...)
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > attain.MaxSearchLimit {
			return attain.Invalid("limit", "must be a whole number from 1 to %d", attain.MaxSearchLimit)
		}
		q.Limit = n
	}
	res, err := s.svc.Search(r.Context(), actor(r), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, searchResults{Items: nonNil(res)})
}

// searchResults is the answer to a search: one ranked list, not a page, so
// it has no cursor.
type searchResults struct {
	Items []*attain.SearchResult `json:"items"`
}
