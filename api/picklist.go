package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

func (s *Server) handleListPicklists(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.svc.FindPicklists(r.Context(), actor(r), r.URL.Query().Get("list"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.Picklist]{Items: nonNil(ps)})
}

func (s *Server) handleAddPicklistValue(w http.ResponseWriter, r *http.Request) error {
	var in attain.NewPicklistValue
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.svc.AddPicklistValue(r.Context(), actor(r), r.PathValue("list"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, v)
}

func (s *Server) handleUpdatePicklistValue(w http.ResponseWriter, r *http.Request) error {
	var in attain.PicklistValueUpdate
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.svc.UpdatePicklistValue(r.Context(), actor(r), r.PathValue("list"), r.PathValue("value"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}
