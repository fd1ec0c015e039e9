package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"time"

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

	// Claim the key before running the request, in one transaction, so that
	// a retry arriving while the first is still running cannot run it again.
	var prev *store.IdempotentResponse
	err = db.WriteTx(r.Context(), func(tx *store.Tx) (err error) {
		prev, err = tx.FindIdempotent(r.Context(), a.WorkspaceID, a.UserID, key)
		if err != nil {
			return err
		}
		if prev != nil && prev.Status == 0 && tx.Now.Sub(prev.CreatedAt) > abandonedClaim {
			// The request that claimed it died without an answer.
			if err := tx.DeleteIdempotent(r.Context(), a.WorkspaceID, a.UserID, key); err != nil {
				return err
			}
			prev = nil
		}
		if prev != nil {
			return nil
		}
		return tx.SaveIdempotent(r.Context(), a.WorkspaceID, a.UserID, key, store.IdempotentResponse{RequestHash: hash})
	})
	if attain.ErrorCode(err) == attain.ECONFLICT {
		// Another request claimed it between our read and our write.
		prev = &store.IdempotentResponse{RequestHash: hash}
	} else if err != nil {
		return err
	}
	if prev != nil {
		if prev.RequestHash != hash {
			return attain.Invalid("Idempotency-Key", "was already used for a different request")
		}
		if prev.Status == 0 {
			return attain.Errorf(attain.ECONFLICT, "A request with this Idempotency-Key is still running; retry in a moment.")
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

	// Settle the claim even if the client has gone: keep a success for
	// replays, forget a failure so the request can be retried.
	ctx := context.WithoutCancel(r.Context())
	rec := &recorder{ResponseWriter: w}
	herr := rt.Handle(rec, r)
	err = db.WriteTx(ctx, func(tx *store.Tx) error {
		if herr == nil && rec.status >= 200 && rec.status < 300 {
			return tx.CompleteIdempotent(ctx, a.WorkspaceID, a.UserID, key, rec.status, rec.buf.Bytes())
		}
		return tx.DeleteIdempotent(ctx, a.WorkspaceID, a.UserID, key)
	})
	if err != nil {
		s.log.WarnContext(ctx, "settle idempotency key", "err", err)
	}
	return herr
}

// abandonedClaim is how long a claimed key may wait for its answer before
// the request that claimed it is presumed dead.
const abandonedClaim = 5 * time.Minute

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
