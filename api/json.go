package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/attain-crm/attain"
)

// MaxBodyBytes limits every request body; imports have their own limit.
const MaxBodyBytes = 1 << 20

// decode reads a JSON body into v: JSON content type only, size limited,
// valid UTF-8, unknown fields and trailing data refused. Errors name the
// offending field where the decoder knows it.
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return &httpError{status: http.StatusUnsupportedMediaType, typ: "unsupported_media_type", msg: "Send the body as application/json."}
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &httpError{status: http.StatusRequestEntityTooLarge, typ: "body_too_large",
				msg: fmt.Sprintf("The body is larger than %d bytes.", MaxBodyBytes)}
		}
		return badRequest("malformed_body", "The body could not be read.")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequest("malformed_json", "The body is empty; send a JSON object.")
	}
	if !utf8.Valid(body) {
		return badRequest("malformed_json", "The body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return badRequest("malformed_json", "The body has data after the JSON value.")
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return badRequest("malformed_json", fmt.Sprintf("The body is not valid JSON (at byte %d).", syn.Offset))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return attain.Invalid(field, "must be %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return attain.Invalid(name, "is not a known field")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("malformed_json", "The body ends in the middle of a JSON value.")
	}
	return badRequest("malformed_json", "The body is not valid JSON: "+err.Error())
}

func jsonKind(k string) string {
	switch k {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	case "float32", "float64":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	return "of another type"
}

// writeJSON writes v with a status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// writeVersioned writes a single record with its ETag, so the client can send
// it back in If-Match.
func writeVersioned(w http.ResponseWriter, status int, version int64, v any) error {
	w.Header().Set("ETag", etag(version))
	return writeJSON(w, status, v)
}

// List is the envelope of every list response.
type List[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatch returns the version named by If-Match, or 0 when the header is
// absent (the update then applies to whatever version is current).
func ifMatch(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	v, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(h, "W/"), `"`), 10, 64)
	if err != nil || v <= 0 {
		return 0, attain.Invalid("If-Match", "must be an ETag this API returned")
	}
	return v, nil
}

// pathID parses a numeric path parameter.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, attain.Errorf(attain.ENOTFOUND, "Not found.")
	}
	return id, nil
}

// page reads the limit and cursor query parameters.
func page(r *http.Request) (attain.Page, error) {
	q := r.URL.Query()
	p := attain.Page{Cursor: q.Get("cursor")}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > attain.MaxPageSize {
			return p, attain.Invalid("limit", "must be a whole number from 1 to %d", attain.MaxPageSize)
		}
		p.Limit = n
	}
	return p, nil
}

// listQuery parses the list syntax documented on attain.ListQuery. Fields are
// checked against each list's whitelist by the store.
func listQuery(r *http.Request) (attain.ListQuery, error) {
	p, err := page(r)
	if err != nil {
		return attain.ListQuery{}, err
	}
	q, err := attain.ParseListQuery(r.URL.Query())
	q.Page = p
	return q, err
}
