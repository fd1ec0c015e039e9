package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"
)

var (
	_ = registerSeed("leads", func(t *testing.T, s *seedCtx) string {
		id := s.Admin.do("POST", "/api/v1/leads", map[string]any{
			"first_name": s.Marker, "last_name": "Lead", "company": s.Marker + " Inc", "email": "lead@" + s.Marker + ".example",
		}).want(t, http.StatusCreated).id(t)
		return strconv.FormatInt(id, 10)
	})
	_ = registerWriteBody("PATCH /api/v1/leads/{id}", `{"status":"working"}`)
	_ = registerWriteBody("POST /api/v1/leads/{id}/restore", `{}`)
	_ = registerWriteBody("POST /api/v1/leads/{id}/convert", `{}`)
)

// recLead is a lead as the API returns it.
type recLead struct {
	ID                 int64
	Status             string
	Email              string
	Website            string
	Country            string
	OwnerID            int64   `json:"owner_id"`
	ConvertedAt        *string `json:"converted_at"`
	ConvertedAccountID *int64  `json:"converted_account_id"`
	ConvertedContactID *int64  `json:"converted_contact_id"`
	ConvertedDealID    *int64  `json:"converted_deal_id"`
	Version            int64
}

// recConversion is a conversion's answer.
type recConversion struct {
	Lead         recLead
	Account      *recAccount
	AccountMatch string `json:"account_match"`
	Contact      *recContact
	ContactMatch string `json:"contact_match"`
	Deal         *struct {
		ID               int64
		Name             string
		Amount           int64
		Currency         string
		CloseDate        string `json:"close_date"`
		AccountID        *int64 `json:"account_id"`
		PrimaryContactID *int64 `json:"primary_contact_id"`
		LeadID           *int64 `json:"lead_id"`
		OwnerID          int64  `json:"owner_id"`
	}
}

func TestLeadCRUD(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Leads")
		c := e.tokenClient(ws.Rep)
		var l recLead
		c.do("POST", "/api/v1/leads", map[string]any{
			"first_name": "Grace", "last_name": "Hopper", "email": "GRACE@Navy.example", "company": "Navy",
			"website": "navy.example", "country": "us", "source": "referral",
		}).want(t, http.StatusCreated).decode(t, &l)
		if l.Status != "new" || l.Email != "grace@navy.example" || l.Website != "https://navy.example" || l.Country != "US" || l.OwnerID != ws.Rep.ID {
			t.Fatalf("created %+v", l)
		}
		path := fmt.Sprintf("/api/v1/leads/%d", l.ID)
		c.do("PATCH", path, `{"status":"working"}`, "If-Match", `"1"`).want(t, http.StatusOK).decode(t, &l)
		if l.Status != "working" || l.Version != 2 {
			t.Errorf("after patch %+v", l)
		}
		c.do("PATCH", path, `{"status":"qualified"}`, "If-Match", `"1"`).problemType(t, http.StatusPreconditionFailed, "stale")
		// Conversion is the only way to "converted".
		wantFields(t, c.do("PATCH", path, `{"status":"converted"}`).problem(t, http.StatusUnprocessableEntity), "status")
		wantFields(t, c.do("POST", "/api/v1/leads", `{"company":"X","status":"converted"}`).problem(t, http.StatusUnprocessableEntity), "status")
		p := c.do("POST", "/api/v1/leads", `{"status":"lukewarm","source":"carrier_pigeon","country":"ZZ","email":"x"}`).problem(t, http.StatusUnprocessableEntity)
		wantFields(t, p, "status", "source", "country", "email")
		wantFields(t, c.do("POST", "/api/v1/leads", `{"title":"Someone"}`).problem(t, http.StatusUnprocessableEntity), "last_name")

		// Lists: newest first by default, filters, other reps see nothing.
		var ids []int64
		for i := range 7 {
			ids = append(ids, recCreate(t, c, "/api/v1/leads", map[string]any{"company": fmt.Sprintf("Prospect %d", i), "source": "event"}))
		}
		slices.Reverse(ids)
		if got := recIDs(t, c, "/api/v1/leads?limit=3&source=event"); !slices.Equal(got, ids) {
			t.Errorf("event leads %v, want %v", got, ids)
		}
		if got := recIDs(t, c, "/api/v1/leads?status=working"); !slices.Equal(got, []int64{l.ID}) {
			t.Errorf("working leads %v", got)
		}
		if got := recIDs(t, c, "/api/v1/leads?company[prefix]=PROSPECT&sort=company&limit=2"); len(got) != 7 {
			t.Errorf("by company %v", got)
		}
		b := e.tokenClient(e.addUser(ws, "rep", "Rep B"))
		b.do("GET", path, nil).problemType(t, http.StatusNotFound, "not_found")
		b.do("POST", path+"/convert", `{}`).problemType(t, http.StatusNotFound, "not_found")
		if got := recIDs(t, b, "/api/v1/leads"); len(got) != 0 {
			t.Errorf("rep B lists %v", got)
		}

		c.do("DELETE", path, nil).want(t, http.StatusNoContent)
		c.do("POST", path+"/convert", `{}`).problemType(t, http.StatusConflict, "conflict")
		c.do("POST", path+"/restore", nil).want(t, http.StatusOK)
		var hist struct{ Items []struct{ Field string } }
		c.do("GET", path+"/history", nil).want(t, http.StatusOK).decode(t, &hist)
		if len(hist.Items) < 8 {
			t.Errorf("history %+v", hist.Items)
		}
	})
}

func TestLeadConversion(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Conversion")
		c := e.tokenClient(ws.Rep)
		convert := func(lead int64, body any) *response {
			return c.do("POST", fmt.Sprintf("/api/v1/leads/%d/convert", lead), body)
		}

		// New account and contact from the lead, then a second conversion is a conflict.
		lead := recCreate(t, c, "/api/v1/leads", map[string]any{"first_name": "Hank", "last_name": "Scorpio",
			"email": "hank@globex.example", "phone": "+1 555 0100", "title": "CEO", "company": "Globex Corp",
			"website": "https://www.globex.example", "industry": "energy", "country": "US"})
		before := e.auditCount(ws.Workspace)
		var res recConversion
		convert(lead, `{}`).want(t, http.StatusOK).decode(t, &res)
		if res.AccountMatch != "created" || res.ContactMatch != "created" || res.Deal != nil {
			t.Fatalf("conversion %+v", res)
		}
		if res.Account.Name != "Globex Corp" || res.Account.Domain != "globex.example" || res.Account.Industry != "energy" || res.Account.OwnerID != ws.Rep.ID {
			t.Errorf("account %+v", res.Account)
		}
		if res.Contact.Email != "hank@globex.example" || *res.Contact.AccountID != res.Account.ID {
			t.Errorf("contact %+v", res.Contact)
		}
		// Lineage: the lead says what it became, and stays so when read again.
		var l recLead
		c.do("GET", fmt.Sprintf("/api/v1/leads/%d", lead), nil).want(t, http.StatusOK).decode(t, &l)
		if l.Status != "converted" || l.ConvertedAt == nil || *l.ConvertedAccountID != res.Account.ID ||
			*l.ConvertedContactID != res.Contact.ID || l.ConvertedDealID != nil {
			t.Errorf("lead after conversion %+v", l)
		}
		if n := e.auditCount(ws.Workspace) - before; n != 3 {
			t.Errorf("conversion wrote %d audit entries, want 3 (account, contact, lead)", n)
		}
		convert(lead, `{}`).problemType(t, http.StatusConflict, "conflict")
		c.do("PATCH", fmt.Sprintf("/api/v1/leads/%d", lead), `{"title":"x"}`).problemType(t, http.StatusConflict, "conflict")
		var hist struct {
			Items []struct {
				Field string
				New   any
			}
		}
		c.do("GET", fmt.Sprintf("/api/v1/leads/%d/history", lead), nil).want(t, http.StatusOK).decode(t, &hist)
		changed := map[string]any{}
		for _, h := range hist.Items {
			changed[h.Field] = h.New
		}
		if changed["status"] != "converted" || changed["converted_account_id"] != float64(res.Account.ID) || changed["converted_contact_id"] != float64(res.Contact.ID) {
			t.Errorf("lead history lacks the conversion: %v", changed)
		}

		// A company matched by name despite case and spacing; a contact
		// matched by email is put on that account.
		initech := recCreate(t, c, "/api/v1/accounts", `{"name":"Initech Inc"}`)
		peter := recCreate(t, c, "/api/v1/contacts", `{"first_name":"Peter","email":"peter@initech.example"}`)
		lead2 := recCreate(t, c, "/api/v1/leads", map[string]any{"first_name": "Peter", "last_name": "Gibbons",
			"email": "Peter@Initech.example", "company": "  INITECH   inc "})
		convert(lead2, `{}`).want(t, http.StatusOK).decode(t, &res)
		if res.AccountMatch != "name" || res.Account.ID != initech || res.ContactMatch != "email" || res.Contact.ID != peter ||
			res.Contact.AccountID == nil || *res.Contact.AccountID != initech {
			t.Errorf("matched conversion %+v account %+v contact %+v", res, res.Account, res.Contact)
		}
		// By domain, with a deal.
		acme := recCreate(t, c, "/api/v1/accounts", `{"name":"Acme Corporation","website":"acme.example"}`)
		lead3 := recCreate(t, c, "/api/v1/leads", map[string]any{"last_name": "Coyote", "company": "ACME Inc.",
			"website": "http://www.acme.example/contact"})
		convert(lead3, `{"create_deal":{"amount":1250000,"currency":"EUR","close_date":"2030-06-30"}}`).want(t, http.StatusOK).decode(t, &res)
		if res.AccountMatch != "domain" || res.Account.ID != acme || res.ContactMatch != "created" || res.Deal == nil {
			t.Fatalf("domain conversion %+v", res)
		}
		d := res.Deal
		if d.Name != "ACME Inc." || d.Amount != 1250000 || d.Currency != "EUR" || d.CloseDate != "2030-06-30" ||
			*d.AccountID != acme || *d.PrimaryContactID != res.Contact.ID || *d.LeadID != lead3 || d.OwnerID != ws.Rep.ID {
			t.Errorf("deal %+v", d)
		}
		c.do("GET", fmt.Sprintf("/api/v1/leads/%d", lead3), nil).want(t, http.StatusOK).decode(t, &l)
		if l.ConvertedDealID == nil || *l.ConvertedDealID != d.ID {
			t.Errorf("lead's deal %v, want %d", l.ConvertedDealID, d.ID)
		}
		// Named account and contact.
		lead4 := recCreate(t, c, "/api/v1/leads", `{"company":"Whoever","email":"who@ever.example"}`)
		convert(lead4, map[string]any{"account_id": acme, "contact_id": peter, "create_deal": map[string]any{"name": "Named deal"}}).
			want(t, http.StatusOK).decode(t, &res)
		if res.AccountMatch != "given" || res.ContactMatch != "given" || res.Account.ID != acme || res.Contact.ID != peter || res.Deal.Name != "Named deal" {
			t.Errorf("named conversion %+v", res)
		}
	})
}

func TestLeadConversionRollsBack(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Rollback")
		c := e.tokenClient(ws.Rep)
		other := recCreate(t, e.tokenClient(ws.Admin), "/api/v1/accounts", `{"name":"Not yours"}`)
		counts := func() [4]int {
			return [4]int{len(recIDs(t, c, "/api/v1/accounts")), len(recIDs(t, c, "/api/v1/contacts")),
				len(recIDs(t, c, "/api/v1/deals")), e.auditCount(ws.Workspace)}
		}
		for _, tc := range []struct {
			name  string
			lead  map[string]any
			body  string
			field string
		}{
			// The deal fails after the account and contact were made.
			{"bad pipeline", map[string]any{"first_name": "Ann", "company": "Doomed Deal Co", "email": "ann@doomed.example"},
				`{"create_deal":{"pipeline_id":999999}}`, "create_deal.pipeline_id"},
			{"bad currency", map[string]any{"first_name": "Ann", "company": "Doomed Money Co", "email": "ann@money.example"},
				`{"create_deal":{"currency":"euros"}}`, "create_deal.currency"},
			// The contact fails after the account was made: an email is no name.
			{"nameless contact", map[string]any{"company": "Doomed Contact Co", "email": "nobody@doomed.example"}, `{}`, "contact.last_name"},
			// An account the rep cannot see.
			{"hidden account", map[string]any{"last_name": "Bo", "company": "Whatever"}, fmt.Sprintf(`{"account_id":%d}`, other), "account_id"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				lead := recCreate(t, c, "/api/v1/leads", tc.lead)
				before := counts()
				p := c.do("POST", fmt.Sprintf("/api/v1/leads/%d/convert", lead), tc.body).problem(t, http.StatusUnprocessableEntity)
				wantFields(t, p, tc.field)
				if after := counts(); after != before {
					t.Errorf("after a failed conversion (accounts, contacts, deals, audit) = %v, was %v", after, before)
				}
				var l recLead
				c.do("GET", fmt.Sprintf("/api/v1/leads/%d", lead), nil).want(t, http.StatusOK).decode(t, &l)
				if l.Status != "new" || l.ConvertedAccountID != nil || l.Version != 1 {
					t.Errorf("lead after a failed conversion %+v", l)
				}
			})
		}
	})
}
