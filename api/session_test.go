package api

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

func TestLoginCookie(t *testing.T) {
	for _, tls := range []bool{false, true} {
		name := "http"
		if tls {
			name = "https"
		}
		t.Run(name, func(t *testing.T) {
			storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
				e := newTestEnv(t, db, envOptions{TLS: tls})
				ws := e.newWorkspace("Cookies")
				res := e.anon().login(ws.Rep.Email, testPassword).want(t, http.StatusOK)
				var c *http.Cookie
				for _, ck := range res.Cookies {
					if ck.Name == SessionCookie {
						c = ck
					}
				}
				if c == nil {
					t.Fatalf("no session cookie in %v", res.Header)
				}
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != tls || len(c.Value) < 32 {
					t.Errorf("cookie = %+v; want HttpOnly, SameSite=Lax, Path=/, Secure=%v, a long secret", c, tls)
				}
				if res.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("sign-in response Cache-Control = %q, want no-store", res.Header.Get("Cache-Control"))
				}
				var info sessionInfo
				res.decode(t, &info)
				if info.User == nil || info.User.ID != ws.Rep.ID || info.Workspace == nil || info.Workspace.ID != ws.ID {
					t.Errorf("session info = %+v", info)
				}
			})
		})
	}
}

func TestLoginFailures(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Logins")
		c := e.anon()
		// A wrong password and an unknown email look the same.
		wrong := c.login(ws.Rep.Email, "wrong password").problemType(t, http.StatusUnauthorized, "unauthenticated")
		unknown := c.login("nobody@logins.test", "wrong password").problemType(t, http.StatusUnauthorized, "unauthenticated")
		if wrong.Title != unknown.Title {
			t.Errorf("wrong password says %q, unknown email %q", wrong.Title, unknown.Title)
		}
		c.login("", "").problemType(t, http.StatusUnprocessableEntity, "invalid")
		c.do("POST", "/api/v1/session", `{"email":"a@b.c","password":"x","remember":true}`).problemType(t, http.StatusUnprocessableEntity, "invalid")
		// Email is matched without regard to case or spaces.
		c.login("  "+upper(ws.Rep.Email)+" ", testPassword).want(t, http.StatusOK)
		// A workspace the user does not belong to.
		other := e.newWorkspace("Elsewhere")
		c.do("POST", "/api/v1/session", map[string]string{"email": ws.Rep.Email, "password": testPassword, "workspace": other.Slug}).
			problemType(t, http.StatusUnauthorized, "unauthenticated")
	})
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

func TestLoginRateLimit(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Limits")
		c := e.anon()
		for i := range 5 {
			c.login(ws.Rep.Email, "guess number "+string(rune('a'+i))).problemType(t, http.StatusUnauthorized, "unauthenticated")
		}
		// The right password no longer helps, for a while.
		c.login(ws.Rep.Email, testPassword).problemType(t, http.StatusTooManyRequests, "too_many_requests")
		c.login(upper(ws.Rep.Email), testPassword).problemType(t, http.StatusTooManyRequests, "too_many_requests")
		// Another account from the same address is not locked out.
		e.anon().login(ws.Manager.Email, testPassword).want(t, http.StatusOK)
		// After the window, the account signs in again.
		e.advance(16 * time.Minute)
		c.login(ws.Rep.Email, testPassword).want(t, http.StatusOK)
	})
}

func TestCrossSiteRequests(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Csrf")
		browser := e.cookieClient(ws.Admin)
		script := e.tokenClient(ws.Admin)
		count := func() int {
			var l struct{ Items []any }
			script.do("GET", "/api/v1/teams", nil).want(t, http.StatusOK).decode(t, &l)
			return len(l.Items)
		}
		audit := e.auditCount(ws.Workspace)
		// Cookie-authenticated writes from another site are refused.
		browser.do("POST", "/api/v1/teams", `{"name":"Forged 1"}`, "Sec-Fetch-Site", "cross-site").problemType(t, http.StatusForbidden, "forbidden")
		browser.do("POST", "/api/v1/teams", `{"name":"Forged 2"}`, "Sec-Fetch-Site", "same-site").problemType(t, http.StatusForbidden, "forbidden")
		browser.do("POST", "/api/v1/teams", `{"name":"Forged 3"}`, "Origin", "https://evil.example").problemType(t, http.StatusForbidden, "forbidden")
		browser.do("DELETE", "/api/v1/session", nil, "Sec-Fetch-Site", "cross-site").problemType(t, http.StatusForbidden, "forbidden")
		if n := count(); n != 0 {
			t.Errorf("cross-site requests created %d teams", n)
		}
		if n := e.auditCount(ws.Workspace); n != audit {
			t.Errorf("cross-site requests wrote %d audit entries", n-audit)
		}
		// Signing in from another site is refused too (login CSRF).
		e.anon().do("POST", "/api/v1/session", map[string]string{"email": ws.Rep.Email, "password": testPassword}, "Sec-Fetch-Site", "cross-site").
			problemType(t, http.StatusForbidden, "forbidden")
		// Reads are not writes: a cross-site GET is fine (SameSite=Lax decides whether the cookie comes).
		browser.do("GET", "/api/v1/teams", nil, "Sec-Fetch-Site", "cross-site").want(t, http.StatusOK)
		// The app's own pages may write.
		browser.do("POST", "/api/v1/teams", `{"name":"Mine 1"}`, "Sec-Fetch-Site", "same-origin").want(t, http.StatusCreated)
		browser.do("POST", "/api/v1/teams", `{"name":"Mine 2"}`, "Origin", e.HTTP.URL).want(t, http.StatusCreated)
		browser.do("POST", "/api/v1/teams", `{"name":"Mine 3"}`).want(t, http.StatusCreated) // not a browser
		// Bearer tokens are not sent by browsers on their own, so no check applies.
		script.do("POST", "/api/v1/teams", `{"name":"Scripted"}`, "Sec-Fetch-Site", "cross-site", "Origin", "https://elsewhere.example").
			want(t, http.StatusCreated)
		if n := count(); n != 4 {
			t.Errorf("teams = %d, want 4", n)
		}
	})
}

func TestLogout(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Logout")
		browser := e.cookieClient(ws.Rep)
		// Keep the cookie, as a thief would.
		var stolen string
		for _, c := range browser.hc.Jar.Cookies(mustURL(t, e.HTTP.URL)) {
			if c.Name == SessionCookie {
				stolen = c.Value
			}
		}
		browser.do("GET", "/api/v1/session", nil).want(t, http.StatusOK)
		res := browser.do("DELETE", "/api/v1/session", nil, "Sec-Fetch-Site", "same-origin").want(t, http.StatusNoContent)
		cleared := false
		for _, c := range res.Cookies {
			cleared = cleared || (c.Name == SessionCookie && c.MaxAge < 0)
		}
		if !cleared {
			t.Errorf("logout did not clear the cookie: %v", res.Header)
		}
		browser.do("GET", "/api/v1/session", nil).problemType(t, http.StatusUnauthorized, "unauthenticated")
		e.anon().with("Cookie", SessionCookie+"="+stolen).do("GET", "/api/v1/session", nil).problemType(t, http.StatusUnauthorized, "unauthenticated")
		// Signing out twice, or without a session, is fine.
		e.anon().do("DELETE", "/api/v1/session", nil).want(t, http.StatusNoContent)
	})
}

func TestSessionExpires(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Expiry")
		browser := e.cookieClient(ws.Rep)
		e.advance(29 * 24 * time.Hour)
		browser.do("GET", "/api/v1/session", nil).want(t, http.StatusOK)
		e.advance(2 * 24 * time.Hour)
		browser.do("GET", "/api/v1/session", nil).problemType(t, http.StatusUnauthorized, "unauthenticated")
	})
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
