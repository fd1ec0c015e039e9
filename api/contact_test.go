package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"
)

var (
	_ = registerSeed("contacts", func(t *testing.T, s *seedCtx) string {
		id := s.Admin.do("POST", "/api/v1/contacts", map[string]any{
			"first_name": s.Marker, "last_name": "Person", "email": "person@" + s.Marker + ".example", "account_id": mustInt(t, s.Seed("accounts")),
		}).want(t, http.StatusCreated).id(t)
		return strconv.FormatInt(id, 10)
	})
	_ = registerWriteBody("PATCH /api/v1/contacts/{id}", `{"title":"Changed by A"}`)
	_ = registerWriteBody("POST /api/v1/contacts/{id}/restore", `{}`)
)

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("not an id: %q", s)
	}
	return n
}

// recContact is a contact as the API returns it.
type recContact struct {
	ID        int64
	AccountID *int64 `json:"account_id"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string
	Emails    []string
	Phone     string
	Phones    []string
	OwnerID   int64   `json:"owner_id"`
	DeletedAt *string `json:"deleted_at"`
	Version   int64
}

func TestContactCRUD(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Contacts")
		c := e.tokenClient(ws.Rep)
		acc := recCreate(t, c, "/api/v1/accounts", `{"name":"Acme"}`)

		var ct recContact
		c.do("POST", "/api/v1/contacts", map[string]any{
			"first_name": " Ada ", "last_name": "Lovelace", "email": " Ada@Example.COM ", "account_id": acc,
			"emails": []string{"ada@example.com", "ADA@home.example", "ada@home.example"},
			"phone":  "+44 20 7946 0000", "phones": []string{"+44 20 7946 0000", "020 7946 0001 ext 2"}, "title": "CTO",
		}).want(t, http.StatusCreated).decode(t, &ct)
		if ct.FirstName != "Ada" || ct.Email != "ada@example.com" || !slices.Equal(ct.Emails, []string{"ada@home.example"}) ||
			!slices.Equal(ct.Phones, []string{"020 7946 0001 ext 2"}) || ct.OwnerID != ws.Rep.ID || *ct.AccountID != acc {
			t.Fatalf("created %+v", ct)
		}
		path := fmt.Sprintf("/api/v1/contacts/%d", ct.ID)
		etag := c.do("GET", path, nil).want(t, http.StatusOK).Header.Get("ETag")
		c.do("PATCH", path, `{"title":"CEO","account_id":null}`, "If-Match", etag).want(t, http.StatusOK).decode(t, &ct)
		if ct.AccountID != nil || ct.Version != 2 {
			t.Errorf("after patch %+v", ct)
		}
		c.do("PATCH", path, `{"title":"Stale"}`, "If-Match", etag).problemType(t, http.StatusPreconditionFailed, "stale")

		// Validation names every field at fault.
		p := c.do("POST", "/api/v1/contacts", map[string]any{
			"email": "not-an-email", "emails": []string{"also bad"}, "phone": "call me", "account_id": 999999,
		}).problem(t, http.StatusUnprocessableEntity)
		wantFields(t, p, "first_name", "last_name", "email", "emails", "phone", "account_id")

		// Trash and back.
		c.do("DELETE", path, nil).want(t, http.StatusNoContent)
		if ids := recIDs(t, c, "/api/v1/contacts"); len(ids) != 0 {
			t.Errorf("live contacts after delete: %v", ids)
		}
		c.do("POST", path+"/restore", nil).want(t, http.StatusOK).decode(t, &ct)
		if ct.DeletedAt != nil {
			t.Errorf("restored %+v", ct)
		}
		var hist struct{ Items []struct{ Field string } }
		c.do("GET", path+"/history", nil).want(t, http.StatusOK).decode(t, &hist)
		var fields []string
		for _, h := range hist.Items {
			fields = append(fields, h.Field)
		}
		for _, f := range []string{"first_name", "email", "title", "account_id", "deleted_at"} {
			if !slices.Contains(fields, f) {
				t.Errorf("history fields %v lack %s", fields, f)
			}
		}
	})
}

func TestContactListAndVisibility(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Contact Lists")
		c := e.tokenClient(ws.Rep)
		other := e.tokenClient(e.addUser(ws, "rep", "Other"))
		acme := recCreate(t, c, "/api/v1/accounts", `{"name":"Acme"}`)
		var all []int64
		for i := range 12 {
			body := map[string]any{"first_name": fmt.Sprintf("Jo %02d", i), "last_name": "Smith", "email": fmt.Sprintf("jo%d@acme.example", i)}
			if i < 5 {
				body["account_id"] = acme
			}
			all = append(all, recCreate(t, c, "/api/v1/contacts", body))
		}
		recCreate(t, c, "/api/v1/contacts", `{"first_name":"Zed","last_name":"Zulu"}`)
		if got := recIDs(t, c, "/api/v1/contacts?limit=5&name[prefix]=JO"); !slices.Equal(got, all) {
			t.Errorf("by name over pages = %v, want %v", got, all)
		}
		if got := recIDs(t, c, "/api/v1/contacts?email=JO3@ACME.example"); !slices.Equal(got, all[3:4]) {
			t.Errorf("by email = %v, want %v", got, all[3:4])
		}
		if got := recIDs(t, c, fmt.Sprintf("/api/v1/contacts?limit=2&account_id=%d", acme)); !slices.Equal(got, all[:5]) {
			t.Errorf("by account = %v, want %v", got, all[:5])
		}
		if got := recIDs(t, c, "/api/v1/contacts?sort=-last_name&limit=3"); len(got) != 13 || got[0] != all[len(all)-1]+1 {
			t.Errorf("by -last_name = %v", got)
		}
		// Another rep sees none of them.
		if got := recIDs(t, other, "/api/v1/contacts"); len(got) != 0 {
			t.Errorf("other rep lists %v", got)
		}
		other.do("GET", fmt.Sprintf("/api/v1/contacts/%d", all[0]), nil).problemType(t, http.StatusNotFound, "not_found")
		// Nor may they attach a contact to an account they cannot see.
		wantFields(t, other.do("POST", "/api/v1/contacts", map[string]any{"last_name": "X", "account_id": acme}).problem(t, http.StatusUnprocessableEntity), "account_id")
	})
}
