package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

func (s *Server) handleListActivityTypes(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.svc.FindActivityTypes(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.ActivityType]{Items: nonNil(ts)})
}

func (s *Server) handleCreateActivityType(w http.ResponseWriter, r *http.Request) error {
	var in attain.NewActivityType
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.svc.CreateActivityType(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, t)
}

func (s *Server) handleUpdateActivityType(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in attain.ActivityTypeUpdate
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.svc.UpdateActivityType(r.Context(), actor(r), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

// activityQuery lists the filters of GET /api/v1/activities, for the docs.
var activityQuery = []string{"type", "owner_id", "deal_id", "contact_id", "account_id", "lead_id", "occurred_at", "due_at", "done_at", "sentiment", "deleted_at", "sort"}

func (s *Server) handleListActivities(w http.ResponseWriter, r *http.Request) error {
	q, err := listQuery(r)
	if err != nil {
		return err
	}
	xs, next, err := s.svc.FindActivities(r.Context(), actor(r), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.Activity]{Items: nonNil(xs), NextCursor: next})
}

func (s *Server) handleCreateActivity(w http.ResponseWriter, r *http.Request) error {
	var in attain.NewActivity
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := s.svc.CreateActivity(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusCreated, x.Version, x)
}

func (s *Server) handleGetActivity(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	x, err := s.svc.FindActivity(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, x.Version, x)
}

func (s *Server) handleUpdateActivity(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in attain.ActivityUpdate
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := s.svc.UpdateActivity(r.Context(), actor(r), id, version, in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, x.Version, x)
}

func (s *Server) handleCompleteActivity(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	// The body is optional: completing a task needs no details.
	var in attain.ActivityCompletion
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return err
		}
	}
	x, err := s.svc.CompleteActivity(r.Context(), actor(r), id, version, in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, x.Version, x)
}

func (s *Server) handleDeleteActivity(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteActivity(r.Context(), actor(r), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleRestoreActivity(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	x, err := s.svc.RestoreActivity(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, x.Version, x)
}

func (s *Server) handleActivityHistory(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cs, err := s.svc.ActivityHistory(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.FieldChange]{Items: nonNil(cs)})
}
