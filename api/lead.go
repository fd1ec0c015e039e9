package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

func (s *Server) handleConvertLead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in attain.LeadConversion
	if err := decode(r, &in); err != nil {
		return err
	}
	res, err := s.svc.ConvertLead(r.Context(), actor(r), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}
