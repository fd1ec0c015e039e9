package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

// noteBody is the body of a note written on the record named by the path.
type noteBody struct {
	Body string `json:"body"`
}

// handleCreateNote writes a note on the record of the given type named by
// the path's id.
func (s *Server) handleCreateNote(entityType string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var in noteBody
		if err := decode(r, &in); err != nil {
			return err
		}
		n, err := s.svc.CreateNote(r.Context(), actor(r), attain.NewNote{EntityType: entityType, EntityID: id, Body: in.Body})
		if err != nil {
			return err
		}
		return writeVersioned(w, http.StatusCreated, n.Version, n)
	}
}

// handleListNotes lists the notes of the record of the given type.
func (s *Server) handleListNotes(entityType string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		q, err := listQuery(r)
		if err != nil {
			return err
		}
		ns, next, err := s.svc.FindNotes(r.Context(), actor(r), entityType, id, q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, List[*attain.Note]{Items: nonNil(ns), NextCursor: next})
	}
}

func (s *Server) handleGetNote(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.svc.FindNote(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, n.Version, n)
}

func (s *Server) handleUpdateNote(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in attain.NoteUpdate
	if err := decode(r, &in); err != nil {
		return err
	}
	n, err := s.svc.UpdateNote(r.Context(), actor(r), id, version, in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, n.Version, n)
}

func (s *Server) handleDeleteNote(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteNote(r.Context(), actor(r), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
