package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

type passwordRequest struct {
	Password string `json:"password"`
}

func (s *Server) handleListUsers(w http.ResponseWriter, r *http.Request) error {
	q, err := listQuery(r)
	if err != nil {
		return err
	}
	us, next, err := s.svc.ListUsers(r.Context(), actor(r), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.User]{Items: nonNil(us), NextCursor: next})
}

func (s *Server) handleCreateUser(w http.ResponseWriter, r *http.Request) error {
	var in attain.NewUser
	if err := decode(r, &in); err != nil {
		return err
	}
	u, err := s.svc.CreateUser(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusCreated, u.Version, u)
}

func (s *Server) handleGetUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.svc.FindUser(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, u.Version, u)
}

func (s *Server) handleUpdateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in attain.UserUpdate
	if err := decode(r, &in); err != nil {
		return err
	}
	u, err := s.svc.UpdateUser(r.Context(), actor(r), id, version, in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, u.Version, u)
}

func (s *Server) handleSetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in passwordRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.svc.SetPassword(r.Context(), actor(r), id, in.Password); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
