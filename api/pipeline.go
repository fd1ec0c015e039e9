package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

// idAndIfMatch reads the {id} path parameter and the If-Match version.
func idAndIfMatch(r *http.Request) (id, version int64, err error) {
	if id, err = pathID(r, "id"); err != nil {
		return 0, 0, err
	}
	version, err = ifMatch(r)
	return id, version, err
}

func (s *Server) handleListPipelines(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.svc.FindPipelines(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.Pipeline]{Items: nonNil(ps)})
}

func (s *Server) handleCreatePipeline(w http.ResponseWriter, r *http.Request) error {
	var in attain.PipelineInput
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.svc.CreatePipeline(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusCreated, p.Version, p)
}

func (s *Server) handleGetPipeline(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.svc.FindPipeline(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, p.Version, p)
}

func (s *Server) handleUpdatePipeline(w http.ResponseWriter, r *http.Request) error {
	id, version, err := idAndIfMatch(r)
	if err != nil {
		return err
	}
	var in attain.PipelineUpdate
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.svc.UpdatePipeline(r.Context(), actor(r), id, version, in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, p.Version, p)
}

func (s *Server) handleArchivePipeline(w http.ResponseWriter, r *http.Request) error {
	id, version, err := idAndIfMatch(r)
	if err != nil {
		return err
	}
	if err := s.svc.ArchivePipeline(r.Context(), actor(r), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleReplaceStages(w http.ResponseWriter, r *http.Request) error {
	id, version, err := idAndIfMatch(r)
	if err != nil {
		return err
	}
	var in attain.StagesInput
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.svc.ReplaceStages(r.Context(), actor(r), id, version, in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, p.Version, p)
}

func (s *Server) handleListPipelineVersions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	vs, err := s.svc.FindPipelineVersions(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.PipelineVersion]{Items: nonNil(vs)})
}
