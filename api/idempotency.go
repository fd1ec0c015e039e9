package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// idempotent runs a create at most once per Idempotency-Key: a repeat with
// the same body gets the first response again; a repeat with another body is
// refused, since the client has mixed up its keys.
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request, rt route) error {
	key := r.Header.Get("Idempotency-Key")
	if len(key) > 255 {
		return attain.Invalid("Idempotency-Key", "must be at most 255 characters")
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxBodyBytes))
	if err != nil {
		return &httpError{status: http.StatusRequestEntityTooLarge, typ: "body_too_large", msg: "The body is too large."}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	sum := sha256.Sum256(append([]byte(rt.Method+" "+r.URL.Path+"\n"), body...))
	hash := hex.EncodeToString(sum[:])
	a := actor(r)
	db := s.svc.DB()

	var prev *store.IdempotentResponse
	err = db.ReadTx(r.Context(), func(tx *store.Tx) (err error) {
		prev, err = tx.FindIdempotent(r.Context(), a.WorkspaceID, a.UserID, key)
		return err
	})
	if err != nil {
		return err
	}
	if prev != nil {
		if prev.RequestHash != hash {
			return attain.Invalid("Idempotency-Key", "was already used for a different request")
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Idempotent-Replayed", "true")
		// Only status and body are stored; a versioned record's ETag is its
		// version, so the replay can carry it as the first response did.
		var rec struct {
			Version *int64 `json:"version"`
		}
		if json.Unmarshal(prev.Body, &rec) == nil && rec.Version != nil {
			w.Header().Set("ETag", etag(*rec.Version))
		}
		w.WriteHeader(prev.Status)
		_, err := w.Write(prev.Body)
		return err
	}

	rec := &recorder{ResponseWriter: w}
	if err := rt.Handle(rec, r); err != nil {
		return err
	}
	if rec.status >= 200 && rec.status < 300 {
		resp := store.IdempotentResponse{RequestHash: hash, Status: rec.status, Body: rec.buf.Bytes()}
		err := db.WriteTx(r.Context(), func(tx *store.Tx) error {
			return tx.SaveIdempotent(r.Context(), a.WorkspaceID, a.UserID, key, resp)
		})
		if err != nil && attain.ErrorCode(err) != attain.ECONFLICT {
			s.log.WarnContext(r.Context(), "save idempotency key", "err", err)
		}
	}
	return nil
}

// recorder passes a response through while keeping a copy of its body.
type recorder struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.buf.Write(b)
	return r.ResponseWriter.Write(b)
}
