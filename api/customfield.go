package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

func (s *Server) handleListCustomFields(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.svc.FindCustomFields(r.Context(), actor(r), r.URL.Query().Get("entity_type"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.CustomField]{Items: nonNil(fs)})
}

func (s *Server) handleCreateCustomField(w http.ResponseWriter, r *http.Request) error {
	var in attain.NewCustomField
	if err := decode(r, &in); err != nil {
		return err
	}
	f, err := s.svc.CreateCustomField(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusCreated, f.Version, f)
}

func (s *Server) handleGetCustomField(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := s.svc.FindCustomField(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, f.Version, f)
}

func (s *Server) handleUpdateCustomField(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in attain.CustomFieldUpdate
	if err := decode(r, &in); err != nil {
		return err
	}
	f, err := s.svc.UpdateCustomField(r.Context(), actor(r), id, version, in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, f.Version, f)
}

func (s *Server) handleDeleteCustomField(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteCustomField(r.Context(), actor(r), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleCustomFieldUsage(w http.ResponseWriter, r *http.Request) error {
	us, err := s.svc.CustomFieldUsage(r.Context(), actor(r), r.URL.Query().Get("entity_type"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.CustomFieldUsage]{Items: nonNil(us)})
}
