package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/attain-crm/attain/store/storetest"
)

func TestTokenLifecycle(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Tokens")
		browser := e.cookieClient(ws.Rep)
		res := browser.do("POST", "/api/v1/tokens", `{"name":"laptop"}`, "Idempotency-Key", "tok-1").want(t, http.StatusCreated)
		var tok struct {
			ID     int64
			Secret string
			Prefix string
		}
		res.decode(t, &tok)
		if !strings.HasPrefix(tok.Secret, "atn_") || !strings.HasPrefix(tok.Secret, tok.Prefix) || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("created token %+v, Cache-Control %q", tok, res.Header.Get("Cache-Control"))
		}
		// The secret is shown once and stored nowhere.
		if l := browser.do("GET", "/api/v1/tokens", nil).want(t, http.StatusOK); strings.Contains(string(l.Body), tok.Secret) || !strings.Contains(string(l.Body), "laptop") {
			t.Errorf("token list = %s", l.Body)
		}
		raw := storetest.Raw(t, e.DB)
		for _, table := range []string{"api_tokens", "idempotency_keys", "audit_log"} {
			rows, err := raw.Query(`SELECT * FROM ` + table)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(fmt.Sprint(vals...), tok.Secret[len(tok.Prefix):]) {
					t.Errorf("%s holds the token's secret", table)
				}
			}
			rows.Close()
		}
		// It works, as the rep, until revoked.
		c := e.anon().with("Authorization", "Bearer "+tok.Secret)
		var me sessionInfo
		c.do("GET", "/api/v1/session", nil).want(t, http.StatusOK).decode(t, &me)
		if me.User.ID != ws.Rep.ID {
			t.Errorf("token acts as %+v", me.User)
		}
		// Someone else's token cannot be revoked; one's own can, once.
		other := e.tokenClient(ws.Admin)
		other.do("DELETE", fmt.Sprintf("/api/v1/tokens/%d", tok.ID), nil).problemType(t, http.StatusNotFound, "not_found")
		c.do("GET", "/api/v1/users", nil).want(t, http.StatusOK)
		browser.do("DELETE", fmt.Sprintf("/api/v1/tokens/%d", tok.ID), nil).want(t, http.StatusNoContent)
		browser.do("DELETE", fmt.Sprintf("/api/v1/tokens/%d", tok.ID), nil).problemType(t, http.StatusNotFound, "not_found")
		c.do("GET", "/api/v1/users", nil).problemType(t, http.StatusUnauthorized, "unauthenticated")

		// An expiry in the past is refused; one given with an offset works
		// as the same instant.
		browser.do("POST", "/api/v1/tokens", map[string]any{"name": "old", "expires_at": time.Now().Add(-time.Hour)}).problem(t, http.StatusUnprocessableEntity)
		soon := time.Now().Add(time.Hour).In(time.FixedZone("", -11*3600))
		res = browser.do("POST", "/api/v1/tokens", map[string]any{"name": "zoned", "expires_at": soon}).want(t, http.StatusCreated)
		res.decode(t, &tok)
		zoned := e.anon().with("Authorization", "Bearer "+tok.Secret)
		zoned.do("GET", "/api/v1/users", nil).want(t, http.StatusOK)
		e.advance(61 * time.Minute)
		zoned.do("GET", "/api/v1/users", nil).problemType(t, http.StatusUnauthorized, "unauthenticated")
	})
}
