package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

func (s *Server) handleListContactRoles(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rs, err := s.svc.FindContactRoles(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.ContactRole]{Items: nonNil(rs)})
}

func (s *Server) handleAddContactRole(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in attain.ContactRoleInput
	if err := decode(r, &in); err != nil {
		return err
	}
	role, err := s.svc.AddContactRole(r.Context(), actor(r), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, role)
}

func (s *Server) handleRemoveContactRole(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	roleID, err := pathID(r, "role_id")
	if err != nil {
		return err
	}
	if err := s.svc.RemoveContactRole(r.Context(), actor(r), id, roleID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handleDealContacts lists the buying roles on a deal. It lives with the
// roles rather than the deals because it reads contact_roles.
func (s *Server) handleDealContacts(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rs, err := s.svc.FindDealContacts(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.ContactRole]{Items: nonNil(rs)})
}

func (s *Server) handleAccountMap(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.svc.FindAccountMap(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}
