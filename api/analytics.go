package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

// kpiQuery reads the scope of a KPI or forecast request.
func kpiQuery(r *http.Request) (attain.KPIQuery, error) {
	q := attain.KPIQuery{Period: r.URL.Query().Get("period"), Currency: r.URL.Query().Get("currency")}
	for name, dst := range map[string]*int64{"user_id": &q.UserID, "team_id": &q.TeamID, "pipeline_id": &q.PipelineID, "product_id": &q.ProductID} {
		n, err := queryInt(r, name)
		if err != nil {
			return q, err
		}
		if n < 0 {
			return q, attain.Invalid(name, "must be an id")
		}
		*dst = n
	}
	return q, nil
}

func (s *Server) handleKPIs(w http.ResponseWriter, r *http.Request) error {
	q, err := kpiQuery(r)
	if err != nil {
		return err
	}
	out, err := s.svc.FindKPIs(r.Context(), actor(r), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleSystemForecast(w http.ResponseWriter, r *http.Request) error {
	q, err := kpiQuery(r)
	if err != nil {
		return err
	}
	out, err := s.svc.FindSystemForecast(r.Context(), actor(r), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleMyDashboard(w http.ResponseWriter, r *http.Request) error {
	out, err := s.svc.RepDashboard(r.Context(), actor(r), 0, r.URL.Query().Get("period"), r.URL.Query().Get("currency"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleRepDashboard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	out, err := s.svc.RepDashboard(r.Context(), actor(r), id, r.URL.Query().Get("period"), r.URL.Query().Get("currency"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleTeamDashboard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	out, err := s.svc.TeamDashboard(r.Context(), actor(r), id, r.URL.Query().Get("period"), r.URL.Query().Get("currency"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleCompanyDashboard(w http.ResponseWriter, r *http.Request) error {
	out, err := s.svc.CompanyDashboard(r.Context(), actor(r), r.URL.Query().Get("period"), r.URL.Query().Get("currency"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleFunnelPlan(w http.ResponseWriter, r *http.Request) error {
	in := attain.FunnelPlanInput{Period: r.URL.Query().Get("period")}
	var err error
	if in.UserID, err = optionalID(r, "user_id"); err != nil {
		return err
	}
	if in.Target, err = optionalID(r, "target"); err != nil {
		return err
	}
	out, err := s.svc.PlanFunnel(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleTeamFunnelPlan(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	out, err := s.svc.PlanTeamFunnel(r.Context(), actor(r), id, r.URL.Query().Get("period"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleKPIDefinitions(w http.ResponseWriter, r *http.Request) error {
	defs, err := s.svc.KPIDefinitions(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.KPIDefinition]{Items: defs})
}

func (s *Server) handleGetKPISettings(w http.ResponseWriter, r *http.Request) error {
	out, err := s.svc.FindKPISettings(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, out.Version, out)
}

func (s *Server) handleSetKPISettings(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in attain.KPISettings
	if err := decode(r, &in); err != nil {
		return err
	}
	out, err := s.svc.SetKPISettings(r.Context(), actor(r), version, in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, out.Version, out)
}

func (s *Server) handleSystemAccuracy(w http.ResponseWriter, r *http.Request) error {
	out, err := s.svc.SystemForecastAccuracy(r.Context(), actor(r), r.URL.Query().Get("period"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}
