package api

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/attain-crm/attain"
)

// importQuery are the query parameters of an upload: the kind, the file's
// name and the options that are not a mapping (send that with PATCH).
var importQuery = []string{"kind", "file_name", "mode", "match_by", "date_format", "decimal", "currency", "delimiter"}

// handleCreateImport stores a CSV file sent as the raw body (text/csv) and
// answers its preview: the guessed mapping, the fields, the first rows.
func (s *Server) handleCreateImport(w http.ResponseWriter, r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "text/csv" && mt != "text/plain" && mt != "application/octet-stream") {
			return &httpError{status: http.StatusUnsupportedMediaType, typ: "unsupported_media_type", msg: "Send the file as text/csv."}
		}
	}
	q := r.URL.Query()
	opts := attain.ImportOptions{Mode: q.Get("mode"), MatchBy: q.Get("match_by"), DateFormat: q.Get("date_format"),
		Decimal: q.Get("decimal"), Currency: q.Get("currency"), Delimiter: q.Get("delimiter")}
	body := http.MaxBytesReader(w, r.Body, maxImportBody)
	p, err := s.svc.CreateImport(r.Context(), actor(r), q.Get("kind"), q.Get("file_name"), body, opts)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &httpError{status: http.StatusRequestEntityTooLarge, typ: "body_too_large", msg: fmt.Sprintf("The file is larger than %d bytes.", maxImportBody)}
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}

// maxImportBody bounds an uploaded CSV file.
const maxImportBody = 1 << 30

func (s *Server) handleListImports(w http.ResponseWriter, r *http.Request) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	items, next, err := s.svc.FindImports(r.Context(), actor(r), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.Import]{Items: nonNil(items), NextCursor: next})
}

func (s *Server) handleGetImport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	x, err := s.svc.FindImport(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (s *Server) handleImportPreview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.svc.PreviewImport(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) handleUpdateImport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var opts attain.ImportOptions
	if err := decode(r, &opts); err != nil {
		return err
	}
	p, err := s.svc.UpdateImport(r.Context(), actor(r), id, opts)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// handleRunImport runs an import (or a dry run): 200 with the outcome, or
// 202 when it was queued as a background job; poll GET /imports/{id}.
func (s *Server) handleRunImport(dryRun bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		x, err := s.svc.RunImport(r.Context(), actor(r), id, dryRun)
		if err != nil {
			return err
		}
		status := http.StatusOK
		if x.Status == attain.ImportQueued {
			status = http.StatusAccepted
		}
		return writeJSON(w, status, x)
	}
}

func (s *Server) handleImportRejections(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := page(r)
	if err != nil {
		return err
	}
	items, next, err := s.svc.FindImportRejections(r.Context(), actor(r), id, p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.ImportRejection]{Items: nonNil(items), NextCursor: next})
}

func (s *Server) handleDeleteImport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svc.DeleteImport(r.Context(), actor(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handleExport streams a list as CSV or JSON with the list's filter and
// sort syntax (format=csv|json; limit and cursor do not apply).
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) error {
	kind := r.PathValue("kind")
	vals := r.URL.Query()
	format := vals.Get("format")
	if format == "" {
		format = "csv"
	}
	q, err := attain.ParseListQuery(vals) // leaves format, limit and cursor out
	if err != nil {
		return err
	}
	if format != "csv" && format != "json" {
		return attain.Invalid("format", "must be csv or json")
	}
	ct := "text/csv; charset=utf-8"
	if format == "json" {
		ct = "application/json"
	}
	out := &exportWriter{w: w, contentType: ct,
		disposition: fmt.Sprintf(`attachment; filename="%s.%s"`, strings.ReplaceAll(kind, `"`, ""), format)}
	if _, err := s.svc.Export(r.Context(), actor(r), kind, format, q, out); err != nil {
		if !out.started {
			// Nothing was sent yet (the service reads the first page before
			// writing), so a bad filter is still a problem+json answer.
			return err
		}
		s.log.Warn("export stopped", "err", err, "request_id", requestIDFrom(r.Context()))
	}
	return nil
}

// exportWriter sends the export's headers on its first write, so the
// response stays an error answer until the service has data to stream.
type exportWriter struct {
	w                        http.ResponseWriter
	contentType, disposition string
	started                  bool
}

func (e *exportWriter) Write(p []byte) (int, error) {
	if !e.started {
		e.started = true
		e.w.Header().Set("Content-Type", e.contentType)
		e.w.Header().Set("Content-Disposition", e.disposition)
		e.w.WriteHeader(http.StatusOK)
	}
	return e.w.Write(p)
}
