package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

func (s *Server) handleListSavedViews(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.svc.FindSavedViews(r.Context(), actor(r), r.URL.Query().Get("entity"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.SavedView]{Items: nonNil(vs)})
}

func (s *Server) handleCreateSavedView(w http.ResponseWriter, r *http.Request) error {
	var in attain.SavedViewInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.svc.CreateSavedView(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusCreated, v.Version, v)
}

func (s *Server) handleGetSavedView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.svc.FindSavedView(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, v.Version, v)
}

func (s *Server) handleUpdateSavedView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in attain.SavedViewUpdate
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.svc.UpdateSavedView(r.Context(), actor(r), id, version, in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, v.Version, v)
}

func (s *Server) handleDeleteSavedView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteSavedView(r.Context(), actor(r), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
