package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/attain-crm/attain"
)

// problem is an RFC 9457 problem details body.
type problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail,omitempty"`
	Instance  string              `json:"instance,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
	Errors    []attain.FieldError `json:"errors,omitempty"`
}

// problemBase prefixes every problem type; the documentation explains each.
const problemBase = "https://attain.dev/problems/"

var codeStatus = map[string]int{
	attain.EINVALID:         http.StatusUnprocessableEntity,
	attain.EUNAUTHENTICATED: http.StatusUnauthorized,
	attain.EFORBIDDEN:       http.StatusForbidden,
	attain.ENOTFOUND:        http.StatusNotFound,
	attain.ECONFLICT:        http.StatusConflict,
	attain.ESTALE:           http.StatusPreconditionFailed,
	attain.ETOOMANY:         http.StatusTooManyRequests,
	attain.EINTERNAL:        http.StatusInternalServerError,
}

// httpError is an error about the HTTP request itself (a bad body, a wrong
// content type) that has no domain code of its own.
type httpError struct {
	status int
	typ    string
	msg    string
	fields []attain.FieldError
}

func (e *httpError) Error() string { return e.msg }

func badRequest(typ, msg string) error {
	return &httpError{status: http.StatusBadRequest, typ: typ, msg: msg}
}

// writeError is the one place errors become HTTP responses. Internal errors
// are logged once with the request id and never shown.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := problem{Instance: r.URL.Path, RequestID: requestIDFrom(r.Context())}
	var he *httpError
	if errors.As(err, &he) {
		p.Status, p.Type, p.Title, p.Errors = he.status, he.typ, he.msg, he.fields
	} else {
		code := attain.ErrorCode(err)
		p.Status, p.Type, p.Title = codeStatus[code], code, attain.ErrorMessage(err)
		var de *attain.Error
		if errors.As(err, &de) {
			p.Errors = de.Fields
		}
		if code == attain.EINTERNAL {
			s.log.ErrorContext(r.Context(), "internal error", "err", err, "method", r.Method, "path", r.URL.Path)
		}
	}
	if p.Status == 0 {
		p.Status = http.StatusInternalServerError
	}
	p.Type = problemBase + p.Type
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="attain"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	if err := json.NewEncoder(w).Encode(p); err != nil {
		s.log.DebugContext(r.Context(), "write problem", slog.Any("err", err))
	}
}
