package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/attain-crm/attain"
)

// What the cross-workspace test needs to reach the sales process routes.
var (
	_ = registerSharedKind("picklists", attain.ListIndustry)
	_ = registerSharedKind("values", "software")
	_ = registerSeed("pipelines", func(t *testing.T, s *seedCtx) string {
		return strconv.FormatInt(s.Admin.do("POST", "/api/v1/pipelines", map[string]any{
			"name": s.Marker + " pipeline", "stages": dealTestStages,
		}).want(t, http.StatusCreated).id(t), 10)
	})
	_ = registerSeed("products", func(t *testing.T, s *seedCtx) string {
		return strconv.FormatInt(s.Admin.do("POST", "/api/v1/products", map[string]any{
			"name": s.Marker + " product", "list_price": 1000,
		}).want(t, http.StatusCreated).id(t), 10)
	})
	_ = registerSeed("deals", func(t *testing.T, s *seedCtx) string {
		return strconv.FormatInt(s.Admin.do("POST", "/api/v1/deals", map[string]any{
			"name": s.Marker + " deal", "next_step": s.Marker,
		}).want(t, http.StatusCreated).id(t), 10)
	})
	_ = registerWriteBody("PATCH /api/v1/pipelines/{id}", `{"name":"Renamed by A"}`)
	_ = registerWriteBody("PUT /api/v1/pipelines/{id}/stages", `{"stages":[{"name":"A","probability":10},{"name":"Won","outcome":"won"},{"name":"Lost","outcome":"lost"}]}`)
	_ = registerWriteBody("PATCH /api/v1/products/{id}", `{"name":"Renamed by A"}`)
	_ = registerWriteBody("PATCH /api/v1/deals/{id}", `{"name":"Renamed by A"}`)
	_ = registerWriteBody("POST /api/v1/deals/{id}/restore", `{}`)
	_ = registerWriteBody("POST /api/v1/deals/{id}/move", `{"stage_id":1}`)
	_ = registerWriteBody("PUT /api/v1/deals/{id}/lines", `{"lines":[{"description":"x","quantity":1,"unit_price":100}]}`)
)

var dealTestStages = []map[string]any{
	{"name": "Open", "probability": 10},
	{"name": "Won", "outcome": "won"},
	{"name": "Lost", "outcome": "lost"},
}

// dealStages returns the default pipeline's stage ids by name.
func dealStages(t *testing.T, c *client) (pipelineID int64, ids map[string]int64) {
	t.Helper()
	var l List[attain.Pipeline]
	c.do("GET", "/api/v1/pipelines", nil).want(t, http.StatusOK).decode(t, &l)
	if len(l.Items) == 0 || !l.Items[0].IsDefault {
		t.Fatalf("no default pipeline: %+v", l)
	}
	ids = map[string]int64{}
	for _, s := range l.Items[0].Stages {
		ids[s.Name] = s.ID
	}
	return l.Items[0].ID, ids
}

func TestDealAPI(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Dealers")
		rep, mgr, admin := e.tokenClient(ws.Rep), e.tokenClient(ws.Manager), e.tokenClient(ws.Admin)
		other := e.tokenClient(e.addUser(ws, attain.RoleRep, "Other Rep"))
		admin.do("POST", "/api/v1/teams", map[string]any{"name": "East", "manager_id": ws.Manager.ID, "member_ids": []int64{ws.Rep.ID}}).want(t, http.StatusCreated)
		pipelineID, stage := dealStages(t, rep)

		// Quick capture: only the name.
		res := rep.do("POST", "/api/v1/deals", `{"name":"Acme renewal"}`).want(t, http.StatusCreated)
		var d map[string]any
		res.decode(t, &d)
		id := int64(d["id"].(float64))
		path := fmt.Sprintf("/api/v1/deals/%d", id)
		if res.Header.Get("ETag") != `"1"` || d["stage_name"] != "Qualified" || d["owner_id"] != float64(ws.Rep.ID) ||
			d["close_date_estimated"] != true || d["forecast_category"] != "pipeline" || d["currency"] != "USD" {
			t.Errorf("created: %s", res.Body)
		}
		if cd, _ := d["close_date"].(string); len(cd) != 10 {
			t.Errorf("close_date %v is not YYYY-MM-DD", d["close_date"])
		}

		// Moving forward with unmet exit criteria: 422 naming exactly what is missing.
		move := func(c *client, body any, headers ...string) *response {
			return c.do("POST", path+"/move", body, headers...)
		}
		p := move(rep, map[string]any{"stage_id": stage["Demo scheduled"]}).problemType(t, http.StatusUnprocessableEntity, "invalid")
		want := []attain.FieldError{{Field: "amount", Message: "required to leave Qualified"}, {Field: "close_date", Message: "required to leave Qualified"}}
		if !slices.Equal(p.Errors, want) || !strings.Contains(p.Title, "Qualified") {
			t.Errorf("refusal: %+v", p)
		}
		// The client asks for just that, and the move goes through.
		res = rep.do("PATCH", path, `{"amount":120000,"close_date":"2031-03-31"}`, "If-Match", `"1"`).want(t, http.StatusOK)
		if res.Header.Get("ETag") != `"2"` {
			t.Errorf("ETag after PATCH %q", res.Header.Get("ETag"))
		}
		// A stale If-Match is refused, on PATCH and on move.
		rep.do("PATCH", path, `{"name":"Stale"}`, "If-Match", `"1"`).problemType(t, http.StatusPreconditionFailed, "stale")
		move(rep, map[string]any{"stage_id": stage["Demo scheduled"]}, "If-Match", `"1"`).problemType(t, http.StatusPreconditionFailed, "stale")
		res = move(rep, map[string]any{"stage_id": stage["Demo scheduled"]}, "If-Match", `"2"`).want(t, http.StatusOK)
		res.decode(t, &d)
		if d["stage_name"] != "Demo scheduled" || res.Header.Get("ETag") != `"3"` {
			t.Errorf("moved: %s", res.Body)
		}
		// The stage never changes by PATCH; the error says how.
		p = rep.do("PATCH", path, fmt.Sprintf(`{"stage_id":%d}`, stage["Won"])).problemType(t, http.StatusUnprocessableEntity, "invalid")
		if len(p.Errors) != 1 || p.Errors[0].Field != "stage_id" || !strings.Contains(p.Errors[0].Message, "/move") {
			t.Errorf("PATCH stage_id: %+v", p.Errors)
		}

		// Another rep: the deal does not exist for them.
		other.do("GET", path, nil).problemType(t, http.StatusNotFound, "not_found")
		move(other, map[string]any{"stage_id": stage["Lost"], "reason": "price"}).problemType(t, http.StatusNotFound, "not_found")
		other.do("GET", path+"/history", nil).problemType(t, http.StatusNotFound, "not_found")
		var l List[attain.Deal]
		other.do("GET", "/api/v1/deals", nil).want(t, http.StatusOK).decode(t, &l)
		if len(l.Items) != 0 {
			t.Errorf("other rep lists %d deals", len(l.Items))
		}

		// Overrides: refused until an admin allows them, and never for reps.
		d2 := rep.do("POST", "/api/v1/deals", `{"name":"Beta"}`).want(t, http.StatusCreated).id(t)
		overridePath := fmt.Sprintf("/api/v1/deals/%d/move", d2)
		body := map[string]any{"stage_id": stage["Demo scheduled"], "override_reason": "CFO committed verbally"}
		p = mgr.do("POST", overridePath, body).problemType(t, http.StatusUnprocessableEntity, "invalid")
		if !slices.Equal(p.fields(), []string{"amount", "close_date", "override_reason"}) {
			t.Errorf("override not allowed: %v", p.fields())
		}
		mgr.do("PATCH", fmt.Sprintf("/api/v1/pipelines/%d", pipelineID), `{"allow_override":true}`).problemType(t, http.StatusForbidden, "forbidden")
		admin.do("PATCH", fmt.Sprintf("/api/v1/pipelines/%d", pipelineID), `{"allow_override":true}`).want(t, http.StatusOK)
		rep.do("POST", overridePath, body).problemType(t, http.StatusForbidden, "forbidden")
		mgr.do("POST", overridePath, body).want(t, http.StatusOK)
		if a := e.lastAudit(ws.Workspace); a.Action != "override_exit_criteria" || !strings.Contains(string(a.After), "CFO committed verbally") {
			t.Errorf("last audit: %s %s", a.Action, a.After)
		}

		// Lost needs a reason from the picklist; then history tells the story.
		p = move(rep, map[string]any{"stage_id": stage["Lost"], "reason": "bored"}).problemType(t, http.StatusUnprocessableEntity, "invalid")
		if !slices.Equal(p.fields(), []string{"reason"}) {
			t.Errorf("bad reason: %+v", p.Errors)
		}
		move(rep, map[string]any{"stage_id": stage["Lost"], "reason": "competitor", "reason_note": "Went with the incumbent"}).want(t, http.StatusOK)
		var h attain.DealHistory
		rep.do("GET", path+"/history", nil).want(t, http.StatusOK).decode(t, &h)
		if len(h.Stages) != 3 || h.Stages[0].StageName != "Qualified" || h.Stages[2].StageName != "Lost" || h.Stages[2].ExitedAt != nil ||
			h.Stages[1].ExitedAt == nil || *h.Stages[2].MovedBy != ws.Rep.ID || h.Stages[2].PipelineVersion != 1 {
			t.Errorf("stage history: %+v", h.Stages)
		}
		changed := map[string]bool{}
		for _, c := range h.Changes {
			changed[c.Field] = true
		}
		for _, f := range []string{"amount", "close_date", "stage_id", "status", "reason"} {
			if !changed[f] {
				t.Errorf("no %s change in %v", f, changed)
			}
		}
		var bh attain.DealHistory
		rep.do("GET", fmt.Sprintf("/api/v1/deals/%d/history", d2), nil).want(t, http.StatusOK).decode(t, &bh)
		if last := bh.Stages[len(bh.Stages)-1]; last.OverrideReason == nil || *last.OverrideReason != "CFO committed verbally" || *last.MovedBy != ws.Manager.ID {
			t.Errorf("override not in stage history: %+v", last)
		}

		// Delete and restore.
		rep.do("DELETE", path, nil).want(t, http.StatusNoContent)
		rep.do("GET", "/api/v1/deals?deleted_at[null]=false", nil).want(t, http.StatusOK).decode(t, &l)
		if len(l.Items) != 1 || l.Items[0].ID != id {
			t.Errorf("deleted list: %+v", l.Items)
		}
		rep.do("PATCH", path, `{"name":"x"}`).problemType(t, http.StatusConflict, "conflict")
		rep.do("POST", path+"/restore", nil).want(t, http.StatusOK)
	})
}

func TestDealListAPI(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Listers")
		rep := e.tokenClient(ws.Rep)
		_, stage := dealStages(t, rep)
		for i, name := range []string{"Alpha", "Beta", "Gamma", "Alpine", "Delta"} {
			rep.do("POST", "/api/v1/deals", map[string]any{"name": name, "amount": (i + 1) * 1000, "close_date": fmt.Sprintf("2030-0%d-15", i+1)}).want(t, http.StatusCreated)
		}
		names := func(q string) []string {
			var l List[attain.Deal]
			rep.do("GET", "/api/v1/deals?"+q, nil).want(t, http.StatusOK).decode(t, &l)
			var out []string
			for _, d := range l.Items {
				out = append(out, d.Name)
			}
			if l.NextCursor != "" {
				out = append(out, "…")
			}
			return out
		}
		for q, want := range map[string][]string{
			"sort=-amount":                              {"Delta", "Alpine", "Gamma", "Beta", "Alpha"},
			"sort=-amount&limit=2":                      {"Delta", "Alpine", "…"},
			"name[prefix]=alp&sort=name":                {"Alpha", "Alpine"},
			"amount[gte]=3000&sort=amount":              {"Gamma", "Alpine", "Delta"},
			"close_date[lt]=2030-03-01&sort=close_date": {"Alpha", "Beta"},
			fmt.Sprintf("stage_id=%d&sort=name&forecast_category=pipeline&status=open", stage["Qualified"]): {"Alpha", "Alpine", "Beta", "Delta", "Gamma"},
			"forecast_category=commit": nil,
		} {
			if got := names(q); !slices.Equal(got, want) {
				t.Errorf("?%s: %v, want %v", q, got, want)
			}
		}
		// The cursor continues where the page ended.
		var page List[attain.Deal]
		rep.do("GET", "/api/v1/deals?sort=-amount&limit=2", nil).want(t, http.StatusOK).decode(t, &page)
		if got := names("sort=-amount&limit=2&cursor=" + page.NextCursor); !slices.Equal(got, []string{"Gamma", "Beta", "…"}) {
			t.Errorf("page 2: %v", got)
		}
		// Unknown fields are refused by name.
		p := rep.do("GET", "/api/v1/deals?colour=red", nil).problemType(t, http.StatusUnprocessableEntity, "invalid")
		if !slices.Equal(p.fields(), []string{"colour"}) {
			t.Errorf("unknown filter: %+v", p.Errors)
		}
	})
}

func TestSalesProcessAPI(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Process")
		rep, admin := e.tokenClient(ws.Rep), e.tokenClient(ws.Admin)

		// Picklists: everyone reads, admins change.
		var l List[attain.Picklist]
		rep.do("GET", "/api/v1/picklists?list=buying_role", nil).want(t, http.StatusOK).decode(t, &l)
		if len(l.Items) != 1 || len(l.Items[0].Values) != 7 || l.Items[0].Values[0].Value != "decision_maker" {
			t.Fatalf("buying roles: %+v", l.Items)
		}
		rep.do("POST", "/api/v1/picklists/industry/values", `{"value":"space"}`).problemType(t, http.StatusForbidden, "forbidden")
		admin.do("POST", "/api/v1/picklists/industry/values", `{"value":"Space Travel"}`).problemType(t, http.StatusUnprocessableEntity, "invalid")
		admin.do("POST", "/api/v1/picklists/industry/values", `{"value":"space","label":"Space"}`).want(t, http.StatusCreated)
		res := admin.do("PATCH", "/api/v1/picklists/industry/values/space", `{"retired":true,"label":"Space (old)"}`).want(t, http.StatusOK)
		var v attain.PicklistValue
		res.decode(t, &v)
		if v.RetiredAt == nil || v.Label != "Space (old)" {
			t.Errorf("retired: %s", res.Body)
		}
		admin.do("PATCH", "/api/v1/picklists/industry/values/nope", `{"retired":true}`).problemType(t, http.StatusNotFound, "not_found")

		// Pipelines: admins write; a new version on every stage edit.
		rep.do("POST", "/api/v1/pipelines", map[string]any{"name": "Renewals", "stages": dealTestStages}).problemType(t, http.StatusForbidden, "forbidden")
		res = admin.do("POST", "/api/v1/pipelines", map[string]any{"name": "Renewals", "stages": dealTestStages}).want(t, http.StatusCreated)
		var pl attain.Pipeline
		res.decode(t, &pl)
		path := fmt.Sprintf("/api/v1/pipelines/%d", pl.ID)
		stages := []map[string]any{
			{"id": pl.Stages[0].ID, "name": "Renewal due", "probability": 50, "buyer_step": "Decision",
				"exit_criteria": map[string]any{"fields": []string{"amount"}}},
			{"id": pl.Stages[1].ID, "name": "Renewed", "outcome": "won"},
			{"id": pl.Stages[2].ID, "name": "Churned", "outcome": "lost"},
		}
		admin.do("PUT", path+"/stages", map[string]any{"stages": stages}, "If-Match", `"9"`).problemType(t, http.StatusPreconditionFailed, "stale")
		res = admin.do("PUT", path+"/stages", map[string]any{"stages": stages}, "If-Match", res.Header.Get("ETag")).want(t, http.StatusOK)
		res.decode(t, &pl)
		if pl.CurrentVersion != 2 || pl.Stages[0].Name != "Renewal due" || pl.Stages[0].ExitCriteria.Fields[0] != "amount" {
			t.Errorf("stages replaced: %s", res.Body)
		}
		var vs List[attain.PipelineVersion]
		rep.do("GET", path+"/versions", nil).want(t, http.StatusOK).decode(t, &vs)
		if len(vs.Items) != 2 || vs.Items[0].Stages[0].Name != "Renewal due" || vs.Items[1].Stages[0].Name != "Open" {
			t.Errorf("versions: %+v", vs.Items)
		}
		// Invalid stage lists name each problem.
		p := admin.do("PUT", path+"/stages", `{"stages":[{"name":"A","probability":10},{"name":"a","probability":5},{"name":"Won","outcome":"won","probability":90}]}`).
			problemType(t, http.StatusUnprocessableEntity, "invalid")
		if !slices.Equal(p.fields(), []string{"stages[1].name", "stages[1].probability", "stages[2].probability", "stages"}) {
			t.Errorf("invalid stages: %+v", p.Errors)
		}
		// A deal in this pipeline; the default pipeline cannot be archived.
		rep.do("POST", "/api/v1/deals", map[string]any{"name": "Renewal", "pipeline_id": pl.ID}).want(t, http.StatusCreated)
		defaultID, _ := dealStages(t, rep)
		admin.do("DELETE", fmt.Sprintf("/api/v1/pipelines/%d", defaultID), nil).problemType(t, http.StatusUnprocessableEntity, "invalid")
		admin.do("DELETE", path, nil).want(t, http.StatusNoContent)
		rep.do("POST", "/api/v1/deals", map[string]any{"name": "Too late", "pipeline_id": pl.ID}).problemType(t, http.StatusUnprocessableEntity, "invalid")

		// Products and lines.
		prod := admin.do("POST", "/api/v1/products", `{"name":"Seat","list_price":12000,"unit_cost":2000}`).want(t, http.StatusCreated).id(t)
		deal := rep.do("POST", "/api/v1/deals", map[string]any{"name": "Seats", "lines": []map[string]any{{"product_id": prod, "quantity": 10, "discount_bp": 1500}}}).
			want(t, http.StatusCreated)
		var d attain.Deal
		deal.decode(t, &d)
		if d.Amount != 102000 || d.Margin == nil || *d.Margin != 82000 || len(d.Lines) != 1 || d.Lines[0].Amount != 102000 {
			t.Errorf("deal from lines: %s", deal.Body)
		}
		res = rep.do("PUT", fmt.Sprintf("/api/v1/deals/%d/lines", d.ID), `{"lines":[{"product_id":`+strconv.FormatInt(prod, 10)+`,"quantity":0}]}`)
		if p := res.problemType(t, http.StatusUnprocessableEntity, "invalid"); !slices.Equal(p.fields(), []string{"lines[0].quantity"}) {
			t.Errorf("zero quantity: %+v", p.Errors)
		}
		var raw map[string]json.RawMessage
		rep.do("GET", fmt.Sprintf("/api/v1/deals/%d", d.ID), nil).want(t, http.StatusOK).decode(t, &raw)
		if string(raw["amount"]) != "102000" {
			t.Errorf("amount %s", raw["amount"])
		}
	})
}
