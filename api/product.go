package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

func (s *Server) handleListProducts(w http.ResponseWriter, r *http.Request) error {
	q, err := listQuery(r)
	if err != nil {
		return err
	}
	ps, next, err := s.svc.FindProducts(r.Context(), actor(r), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.Product]{Items: nonNil(ps), NextCursor: next})
}

func (s *Server) handleCreateProduct(w http.ResponseWriter, r *http.Request) error {
	var in attain.ProductInput
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.svc.CreateProduct(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusCreated, p.Version, p)
}

func (s *Server) handleGetProduct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.svc.FindProduct(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, p.Version, p)
}

func (s *Server) handleUpdateProduct(w http.ResponseWriter, r *http.Request) error {
	id, version, err := idAndIfMatch(r)
	if err != nil {
		return err
	}
	var in attain.ProductUpdate
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.svc.UpdateProduct(r.Context(), actor(r), id, version, in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, p.Version, p)
}

func (s *Server) handleDeleteProduct(w http.ResponseWriter, r *http.Request) error {
	id, version, err := idAndIfMatch(r)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteProduct(r.Context(), actor(r), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
