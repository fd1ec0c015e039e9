package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

// idAndIfMatch reads the {id} path parameter and the If-Match version.
func idAndIfMatch(r *http.Request) (id, version int64, err error) {
	if id, err = pathID(r, "id"); err != nil {
		return 0, 0, err
	}
	version, err = ifMatch(r)
	return id, version, err
}

func (s *Server) handleListDeals(w http.ResponseWriter, r *http.Request) error {
	q, err := listQuery(r)
	if err != nil {
		return err
	}
	ds, next, err := s.svc.FindDeals(r.Context(), actor(r), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.Deal]{Items: nonNil(ds), NextCursor: next})
}

func (s *Server) handleCreateDeal(w http.ResponseWriter, r *http.Request) error {
	var in attain.DealInput
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.svc.CreateDeal(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusCreated, d.Version, d)
}

func (s *Server) handleGetDeal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.svc.FindDeal(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, d.Version, d)
}

func (s *Server) handleUpdateDeal(w http.ResponseWriter, r *http.Request) error {
	id, version, err := idAndIfMatch(r)
	if err != nil {
		return err
	}
	var in attain.DealUpdate
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.svc.UpdateDeal(r.Context(), actor(r), id, version, in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, d.Version, d)
}

func (s *Server) handleDeleteDeal(w http.ResponseWriter, r *http.Request) error {
	id, version, err := idAndIfMatch(r)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteDeal(r.Context(), actor(r), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleRestoreDeal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.svc.RestoreDeal(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, d.Version, d)
}

func (s *Server) handleMoveDeal(w http.ResponseWriter, r *http.Request) error {
	id, version, err := idAndIfMatch(r)
	if err != nil {
		return err
	}
	var in attain.MoveInput
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.svc.MoveDeal(r.Context(), actor(r), id, version, in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, d.Version, d)
}

func (s *Server) handleReplaceDealLines(w http.ResponseWriter, r *http.Request) error {
	id, version, err := idAndIfMatch(r)
	if err != nil {
		return err
	}
	var in attain.DealLinesInput
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.svc.ReplaceDealLines(r.Context(), actor(r), id, version, in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, d.Version, d)
}

func (s *Server) handleDealHistory(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	h, err := s.svc.FindDealHistory(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, h)
}
