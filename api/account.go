package api

import (
	"context"
	"net/http"

	"github.com/attain-crm/attain"
)

// Accounts, contacts and leads share the shape of their endpoints: a list
// with the common filter syntax, create, read with an ETag, PATCH with
// If-Match, soft delete, restore and history. These build those handlers
// from the service methods of each kind.

func recordList[T any](find func(context.Context, *attain.Actor, attain.ListQuery) ([]T, string, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q, err := listQuery(r)
		if err != nil {
			return err
		}
		items, next, err := find(r.Context(), actor(r), q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, List[T]{Items: nonNil(items), NextCursor: next})
	}
}

func recordCreate[In, T any](create func(context.Context, *attain.Actor, In) (T, error), version func(T) int64) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in In
		if err := decode(r, &in); err != nil {
			return err
		}
		x, err := create(r.Context(), actor(r), in)
		if err != nil {
			return err
		}
		return writeVersioned(w, http.StatusCreated, version(x), x)
	}
}

// recordGet also serves POST .../restore, which takes no body and answers
// the restored record.
func recordGet[T any](find func(context.Context, *attain.Actor, int64) (T, error), version func(T) int64) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		x, err := find(r.Context(), actor(r), id)
		if err != nil {
			return err
		}
		return writeVersioned(w, http.StatusOK, version(x), x)
	}
}

func recordUpdate[U, T any](update func(context.Context, *attain.Actor, int64, int64, U) (T, error), version func(T) int64) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		ver, err := ifMatch(r)
		if err != nil {
			return err
		}
		var upd U
		if err := decode(r, &upd); err != nil {
			return err
		}
		x, err := update(r.Context(), actor(r), id, ver, upd)
		if err != nil {
			return err
		}
		return writeVersioned(w, http.StatusOK, version(x), x)
	}
}

func recordDelete(del func(context.Context, *attain.Actor, int64, int64) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		ver, err := ifMatch(r)
		if err != nil {
			return err
		}
		if err := del(r.Context(), actor(r), id, ver); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

func recordHistory(find func(context.Context, *attain.Actor, int64) ([]*attain.FieldChange, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		cs, err := find(r.Context(), actor(r), id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, List[*attain.FieldChange]{Items: nonNil(cs)})
	}
}

func accountVersion(x *attain.Account) int64 { return x.Version }
func contactVersion(x *attain.Contact) int64 { return x.Version }
func leadVersion(x *attain.Lead) int64       { return x.Version }
func dealVersion(x *attain.Deal) int64       { return x.Version }
func productVersion(x *attain.Product) int64 { return x.Version }

// accountQuery, contactQuery and leadQuery are the query parameters of the
// lists, for the docs; each filter also takes [op].
var (
	accountQuery = []string{"name", "domain", "industry", "size", "country", "region", "city", "owner_id", "team_id",
		"parent_id", "tag", "external_id", "created_at", "updated_at", "deleted_at", "sort", "limit", "cursor"}
	contactQuery = []string{"name", "first_name", "last_name", "email", "title", "account_id", "owner_id", "team_id",
		"external_id", "created_at", "updated_at", "deleted_at", "sort", "limit", "cursor"}
	leadQuery = []string{"name", "last_name", "company", "email", "status", "source", "industry", "country", "owner_id",
		"team_id", "external_id", "converted_at", "created_at", "updated_at", "deleted_at", "sort", "limit", "cursor"}
)

func (s *Server) handleAccountChildren(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q, err := listQuery(r)
	if err != nil {
		return err
	}
	items, next, err := s.svc.FindAccountChildren(r.Context(), actor(r), id, q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.Account]{Items: nonNil(items), NextCursor: next})
}
