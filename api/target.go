package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

// optionalID reads an id query parameter; nil when absent.
func optionalID(r *http.Request, name string) (*int64, error) {
	if r.URL.Query().Get(name) == "" {
		return nil, nil
	}
	n, err := queryInt(r, name)
	if err != nil {
		return nil, err
	}
	return &n, nil
}

func (s *Server) handleGetPlanning(w http.ResponseWriter, r *http.Request) error {
	p, err := s.svc.PlanningView(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) handleSetPlanning(w http.ResponseWriter, r *http.Request) error {
	var in attain.PlanningSettings
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.svc.SetPlanning(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// handleGetPeriod resolves a period key in the workspace's fiscal calendar.
func (s *Server) handleGetPeriod(w http.ResponseWriter, r *http.Request) error {
	cal, err := s.svc.Calendar(r.Context(), actor(r))
	if err != nil {
		return err
	}
	p, err := cal.ParsePeriod("period", r.PathValue("period"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) handleListTargets(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := attain.TargetFilter{Period: q.Get("period"), Kind: attain.TargetKind(q.Get("kind")),
		Scope: attain.TargetScope(q.Get("scope")), Status: q.Get("status")}
	var err error
	if f.TeamID, err = optionalID(r, "team_id"); err != nil {
		return err
	}
	if f.UserID, err = optionalID(r, "user_id"); err != nil {
		return err
	}
	ts, err := s.svc.Targets(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.Target]{Items: nonNil(ts)})
}

func (s *Server) handleSetTarget(w http.ResponseWriter, r *http.Request) error {
	var in attain.TargetInput
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.svc.SetTarget(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, t.Version, t)
}

func (s *Server) handleSplitTarget(w http.ResponseWriter, r *http.Request) error {
	var in attain.TargetSplitInput
	if err := decode(r, &in); err != nil {
		return err
	}
	ts, err := s.svc.SplitTarget(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.Target]{Items: nonNil(ts)})
}

func (s *Server) handleProposeTarget(w http.ResponseWriter, r *http.Request) error {
	var in attain.TargetProposal
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.svc.ProposeTarget(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, t.Version, t)
}

func (s *Server) handleGetTarget(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := s.svc.FindTarget(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, t.Version, t)
}

func (s *Server) handleApproveTarget(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in attain.TargetApproval
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.svc.ApproveTarget(r.Context(), actor(r), id, version, in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, t.Version, t)
}

func (s *Server) handleTargetHistory(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cs, err := s.svc.TargetHistory(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.FieldChange]{Items: nonNil(cs)})
}

func (s *Server) handleTargetRollup(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var team *int64
	if r.PathValue("id") != "" {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		team = &id
	}
	t, err := s.svc.TargetRollup(r.Context(), actor(r), q.Get("period"), attain.TargetKind(q.Get("kind")), q.Get("activity_type"), team)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

func (s *Server) handleGetRamp(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ramp, err := s.svc.FindRamp(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	if ramp == nil {
		ramp = &attain.Ramp{UserID: id, Percents: []int64{}} // no ramp: full target from the start
	}
	return writeJSON(w, http.StatusOK, ramp)
}

func (s *Server) handleSetRamp(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in attain.RampInput
	if err := decode(r, &in); err != nil {
		return err
	}
	ramp, err := s.svc.SetRamp(r.Context(), actor(r), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ramp)
}

func (s *Server) handleForecastPrefill(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	user := a.UserID
	if r.PathValue("id") != "" {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		user = id
	}
	p, err := s.svc.ForecastPrefill(r.Context(), a, r.URL.Query().Get("period"), user)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) handleListForecasts(w http.ResponseWriter, r *http.Request) error {
	f := attain.ForecastFilter{Period: r.URL.Query().Get("period"), Scope: attain.TargetScope(r.URL.Query().Get("scope"))}
	var err error
	if f.UserID, err = optionalID(r, "user_id"); err != nil {
		return err
	}
	if f.TeamID, err = optionalID(r, "team_id"); err != nil {
		return err
	}
	subs, err := s.svc.ForecastSubmissions(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.ForecastSubmission]{Items: nonNil(subs)})
}

func (s *Server) handleSubmitForecast(w http.ResponseWriter, r *http.Request) error {
	var in attain.ForecastInput
	if err := decode(r, &in); err != nil {
		return err
	}
	sub, err := s.svc.SubmitForecast(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, sub)
}

func (s *Server) handleForecastRollup(w http.ResponseWriter, r *http.Request) error {
	var team *int64
	if r.PathValue("id") != "" {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		team = &id
	}
	out, err := s.svc.ForecastRollup(r.Context(), actor(r), r.URL.Query().Get("period"), team)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleForecastAccuracy(w http.ResponseWriter, r *http.Request) error {
	f := attain.AccuracyFilter{Period: r.URL.Query().Get("period")}
	n, err := queryInt(r, "quarters")
	if err != nil {
		return err
	}
	f.Quarters = int(max(min(n, 1000), -1))
	if f.UserID, err = optionalID(r, "user_id"); err != nil {
		return err
	}
	if f.TeamID, err = optionalID(r, "team_id"); err != nil {
		return err
	}
	out, err := s.svc.ForecastAccuracy(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleTakeSnapshot(w http.ResponseWriter, r *http.Request) error {
	res, err := s.svc.TakeSnapshot(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

func (s *Server) handlePipelineSnapshot(w http.ResponseWriter, r *http.Request) error {
	var d attain.Date
	if week := r.URL.Query().Get("week"); week != "" {
		var err error
		if d, err = attain.ParseDate(week); err != nil {
			return attain.Invalid("week", "must be a date YYYY-MM-DD in the week")
		}
	}
	rows, err := s.svc.PipelineSnapshot(r.Context(), actor(r), d)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.PipelineSnapshotRow]{Items: nonNil(rows)})
}
