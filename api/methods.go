package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/attain-crm/attain"
)

// routeMethods are the methods the route table uses, in the order an Allow
// header lists them.
var routeMethods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}

// notFoundOrMethod answers an API request no route matched: 405 with an
// Allow header when the path is known but the method is not (RFC 9110
// §15.5.6), 404 otherwise. Both are problem+json.
//
// The catch-all patterns ("/api/", "/healthz" ...) match every method, so the mux never gets
// to answer 405 itself; this asks it which methods the path does have.
func (s *Server) notFoundOrMethod(mux *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if allow := allowedMethods(mux, r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.writeError(w, r, &httpError{status: http.StatusMethodNotAllowed, typ: "method_not_allowed",
				msg: fmt.Sprintf("%s is not allowed on %s; use %s.", r.Method, r.URL.Path, strings.Join(allow, ", "))})
			return
		}
		s.writeError(w, r, attain.Errorf(attain.ENOTFOUND, "No such API endpoint: %s %s.", r.Method, r.URL.Path))
	}
}

// allowedMethods returns the methods a route answers on r's path.
func allowedMethods(mux *http.ServeMux, r *http.Request) []string {
	var allow []string
	for _, m := range routeMethods {
		probe := r.Clone(r.Context())
		probe.Method = m
		// Route patterns name their method ("GET /x"); the catch-alls do not.
		if _, pattern := mux.Handler(probe); strings.Contains(pattern, " ") {
			allow = append(allow, m)
		}
	}
	return allow
}
