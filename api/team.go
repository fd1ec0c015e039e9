package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

func (s *Server) handleListTeams(w http.ResponseWriter, r *http.Request) error {
	q, err := listQuery(r)
	if err != nil {
		return err
	}
	ts, next, err := s.svc.ListTeams(r.Context(), actor(r), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.Team]{Items: nonNil(ts), NextCursor: next})
}

func (s *Server) handleCreateTeam(w http.ResponseWriter, r *http.Request) error {
	var in attain.TeamInput
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.svc.CreateTeam(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusCreated, t.Version, t)
}

func (s *Server) handleGetTeam(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := s.svc.FindTeam(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, t.Version, t)
}

func (s *Server) handleUpdateTeam(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in attain.TeamInput
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.svc.UpdateTeam(r.Context(), actor(r), id, version, in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, t.Version, t)
}

func (s *Server) handleDeleteTeam(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteTeam(r.Context(), actor(r), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
