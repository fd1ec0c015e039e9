package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// Every malformed request gets a clear 4xx problem, and writes nothing.
func TestBadInput(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Bad Input")
		admin := e.tokenClient(ws.Admin)
		big := `{"name":"` + strings.Repeat("x", MaxBodyBytes) + `"}`
		tests := []struct {
			name    string
			body    string
			headers []string
			status  int
			typ     string
			field   string // named in errors, when set
		}{
			{"malformed JSON", `{"name":`, nil, 400, "malformed_json", ""},
			{"not JSON at all", `name=East`, nil, 400, "malformed_json", ""},
			{"empty body", ``, nil, 400, "malformed_json", ""},
			{"trailing data", `{"name":"East"} {"name":"West"}`, nil, 400, "malformed_json", ""},
			{"string for a string", `{"name":5}`, nil, 422, "invalid", "name"},
			{"string for an array", `{"name":"East","member_ids":"all"}`, nil, 422, "invalid", "member_ids"},
			{"string in an array of ids", `{"name":"East","member_ids":["1"]}`, nil, 422, "invalid", "member_ids"},
			{"string for an id", `{"name":"East","manager_id":"7"}`, nil, 422, "invalid", "manager_id"},
			{"array for the object", `[{"name":"East"}]`, nil, 422, "invalid", "body"},
			{"unknown field", `{"name":"East","colour":"red"}`, nil, 422, "invalid", "colour"},
			{"missing required field", `{}`, nil, 422, "invalid", "name"},
			{"oversized body", big, nil, 413, "body_too_large", ""},
			{"oversized body with an idempotency key", big, []string{"Idempotency-Key", "k1"}, 413, "body_too_large", ""},
			{"invalid UTF-8", "{\"name\":\"East\xff\xfe\"}", nil, 400, "malformed_json", ""},
			{"form content type", `{"name":"East"}`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "unsupported_media_type", ""},
			{"text content type", `{"name":"East"}`, []string{"Content-Type", "text/plain"}, 415, "unsupported_media_type", ""},
			{"garbled content type", `{"name":"East"}`, []string{"Content-Type", "application/json; charset"}, 415, "unsupported_media_type", ""},
		}
		before := e.auditCount(ws.Workspace)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := admin.do("POST", "/api/v1/teams", tt.body, tt.headers...)
				p := res.problemType(t, tt.status, tt.typ)
				if tt.field != "" && !slices.Contains(p.fields(), tt.field) {
					t.Errorf("errors name %v, want %q; body %s", p.fields(), tt.field, res.Body)
				}
				if len(res.Body) > 2000 {
					t.Errorf("problem echoes the input: %d bytes", len(res.Body))
				}
			})
		}
		// The same through an update, which reads If-Match and a path id too.
		admin.do("PATCH", fmt.Sprintf("/api/v1/users/%d", ws.Rep.ID), `{"role":7}`).problemType(t, 422, "invalid")
		admin.do("PATCH", fmt.Sprintf("/api/v1/users/%d", ws.Rep.ID), `{"name":"X"}`, "If-Match", "yesterday").problemType(t, 422, "invalid")
		admin.do("PATCH", fmt.Sprintf("/api/v1/users/%d", ws.Rep.ID), `{"role":"owner"}`).problemType(t, 422, "invalid")
		admin.do("GET", "/api/v1/audit?limit=0", nil).problemType(t, 422, "invalid")
		admin.do("GET", "/api/v1/audit?entity_id=x", nil).problemType(t, 422, "invalid")
		admin.do("GET", "/api/v1/audit?cursor=garbage", nil).problemType(t, 422, "invalid")

		if after := e.auditCount(ws.Workspace); after != before {
			t.Errorf("bad requests wrote %d audit entries", after-before)
		}
		var teams struct{ Items []any }
		admin.do("GET", "/api/v1/teams", nil).want(t, 200).decode(t, &teams)
		if len(teams.Items) != 0 {
			t.Errorf("bad requests created %d teams", len(teams.Items))
		}
	})
}

// Credentials that are missing, malformed, expired or revoked are refused
// with 401 and nothing is written.
func TestBadCredentials(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Creds")
		soon := time.Now().Add(time.Hour)
		_, expiring := e.newToken(ws.Admin, &soon)
		revokedTok, revoked := e.newToken(ws.Admin, nil)
		_, good := e.newToken(ws.Admin, nil)
		e.tokenClient(ws.Admin).do("DELETE", fmt.Sprintf("/api/v1/tokens/%d", revokedTok.ID), nil).want(t, http.StatusNoContent)
		e.advance(2 * time.Hour)
		before := e.auditCount(ws.Workspace)

		tests := []struct{ name, header, value string }{
			{"no credentials", "", ""},
			{"basic auth", "Authorization", "Basic YWRtaW46cGFzcw=="},
			{"empty bearer", "Authorization", "Bearer "},
			{"bearer without prefix", "Authorization", "Bearer not-a-token"},
			{"unknown token", "Authorization", "Bearer atn_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
			{"expired token", "Authorization", "Bearer " + expiring},
			{"revoked token", "Authorization", "Bearer " + revoked},
			{"lower-case scheme with bad token", "Authorization", "bearer " + revoked},
			{"garbage cookie", "Cookie", SessionCookie + "=garbage"},
			{"empty cookie", "Cookie", SessionCookie + "="},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := e.anon()
				if tt.header != "" {
					c = c.with(tt.header, tt.value)
				}
				c.do("POST", "/api/v1/teams", `{"name":"Sneaky"}`).problemType(t, http.StatusUnauthorized, "unauthenticated")
				c.do("GET", "/api/v1/users", nil).problemType(t, http.StatusUnauthorized, "unauthenticated")
			})
		}
		if after := e.auditCount(ws.Workspace); after != before {
			t.Errorf("refused requests wrote %d audit entries", after-before)
		}
		// The good token still works, and the bearer scheme is case-insensitive (RFC 9110).
		e.anon().with("Authorization", "Bearer "+good).do("GET", "/api/v1/users", nil).want(t, http.StatusOK)
		e.anon().with("Authorization", "bearer "+good).do("GET", "/api/v1/users", nil).want(t, http.StatusOK)
	})
}
