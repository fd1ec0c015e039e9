package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/attain-crm/attain"
)

// What the cross-workspace test needs to reach the activity, note, timeline
// and custom field routes.
var (
	_ = registerSeed("activity-types", func(t *testing.T, s *seedCtx) string {
		return strconv.FormatInt(s.Admin.do("POST", "/api/v1/activity-types", map[string]any{
			"key": s.Marker + "_visit", "name": s.Marker + " visit",
		}).want(t, http.StatusCreated).id(t), 10)
	})
	_ = registerSeed("activities", func(t *testing.T, s *seedCtx) string {
		return strconv.FormatInt(s.Admin.do("POST", "/api/v1/activities", map[string]any{
			"type": "call", "deal_id": json64(t, s.Seed("deals")), "subject": s.Marker + " call", "due_at": "2030-01-02T10:00:00Z",
		}).want(t, http.StatusCreated).id(t), 10)
	})
	_ = registerSeed("notes", func(t *testing.T, s *seedCtx) string {
		return strconv.FormatInt(s.Admin.do("POST", "/api/v1/deals/"+s.Seed("deals")+"/notes", map[string]any{
			"body": s.Marker + " note",
		}).want(t, http.StatusCreated).id(t), 10)
	})
	_ = registerSeed("custom-fields", func(t *testing.T, s *seedCtx) string {
		return strconv.FormatInt(s.Admin.do("POST", "/api/v1/custom-fields", map[string]any{
			"entity_type": "deal", "key": s.Marker + "_code", "label": s.Marker + " code", "type": "text", "purpose": s.Marker + " finance",
		}).want(t, http.StatusCreated).id(t), 10)
	})
	_ = registerWriteBody("PATCH /api/v1/activity-types/{id}", `{"name":"Renamed by A"}`)
	_ = registerWriteBody("PATCH /api/v1/activities/{id}", `{"subject":"Changed by A"}`)
	_ = registerWriteBody("POST /api/v1/activities/{id}/restore", `{}`)
	_ = registerWriteBody("POST /api/v1/activities/{id}/complete", `{}`)
	_ = registerWriteBody("PATCH /api/v1/notes/{id}", `{"body":"Changed by A"}`)
	_ = registerWriteBody("POST /api/v1/deals/{id}/notes", `{"body":"Note by A"}`)
	_ = registerWriteBody("POST /api/v1/accounts/{id}/notes", `{"body":"Note by A"}`)
	_ = registerWriteBody("POST /api/v1/contacts/{id}/notes", `{"body":"Note by A"}`)
	_ = registerWriteBody("POST /api/v1/leads/{id}/notes", `{"body":"Note by A"}`)
	_ = registerWriteBody("PATCH /api/v1/custom-fields/{id}", `{"label":"Renamed by A"}`)
)

func json64(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("id %q: %v", s, err)
	}
	return n
}

func TestActivitiesAPI(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Activity API")
		rep, admin, mgr := e.tokenClient(ws.Rep), e.tokenClient(ws.Admin), e.tokenClient(ws.Manager)
		other := e.tokenClient(e.addUser(ws, attain.RoleRep, "Other Rep"))
		admin.do("POST", "/api/v1/teams", map[string]any{"name": "East", "manager_id": ws.Manager.ID, "member_ids": []int64{ws.Rep.ID}}).
			want(t, http.StatusCreated)

		var types List[attain.ActivityType]
		rep.do("GET", "/api/v1/activity-types", nil).want(t, http.StatusOK).decode(t, &types)
		if len(types.Items) != 5 || types.Items[0].Key != "call" {
			t.Fatalf("activity types: %+v", types.Items)
		}
		rep.do("POST", "/api/v1/activity-types", `{"key":"visit","name":"Visit"}`).problemType(t, http.StatusForbidden, "forbidden")
		visit := admin.do("POST", "/api/v1/activity-types", `{"key":"visit","name":"Visit"}`).want(t, http.StatusCreated).id(t)
		admin.do("PATCH", fmt.Sprintf("/api/v1/activity-types/%d", visit), `{"retired":true}`).want(t, http.StatusOK)

		acc := rep.do("POST", "/api/v1/accounts", `{"name":"Acme"}`).want(t, http.StatusCreated).id(t)
		deal := rep.do("POST", "/api/v1/deals", fmt.Sprintf(`{"name":"Acme renewal","account_id":%d}`, acc)).want(t, http.StatusCreated).id(t)

		// Quick capture: the type, the deal and a note; everything else defaults.
		res := rep.do("POST", "/api/v1/activities", fmt.Sprintf(`{"type":"call","deal_id":%d,"note":"Budget confirmed"}`, deal)).want(t, http.StatusCreated)
		var call attain.Activity
		res.decode(t, &call)
		if res.Header.Get("ETag") != `"1"` || call.OwnerID != ws.Rep.ID || call.OccurredAt == nil || call.AccountID == nil ||
			*call.AccountID != acc || call.Subject != "Call" || call.Note != "Budget confirmed" {
			t.Fatalf("quick capture: %s (ETag %s)", res.Body, res.Header.Get("ETag"))
		}
		p := rep.do("POST", "/api/v1/activities", fmt.Sprintf(`{"type":"visit","deal_id":%d}`, deal)).problemType(t, http.StatusUnprocessableEntity, "invalid")
		if !slices.Equal(p.fields(), []string{"type"}) {
			t.Errorf("retired type: fields %v", p.fields())
		}
		rep.do("POST", "/api/v1/activities", `{"type":"call"}`).problemType(t, http.StatusUnprocessableEntity, "invalid")
		other.do("POST", "/api/v1/activities", fmt.Sprintf(`{"type":"call","deal_id":%d}`, deal)).problemType(t, http.StatusUnprocessableEntity, "invalid")

		// A task, completed without a body.
		due := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
		task := rep.do("POST", "/api/v1/activities", fmt.Sprintf(`{"type":"demo","deal_id":%d,"due_at":%q}`, deal, due)).want(t, http.StatusCreated).id(t)
		var open List[attain.Activity]
		rep.do("GET", "/api/v1/activities?done_at[null]=true&type=demo", nil).want(t, http.StatusOK).decode(t, &open)
		if len(open.Items) != 1 || open.Items[0].ID != task || open.Items[0].OccurredAt != nil {
			t.Fatalf("open tasks: %+v", open.Items)
		}
		rep.do("POST", fmt.Sprintf("/api/v1/activities/%d/complete", task), nil, "If-Match", `"7"`).problemType(t, http.StatusPreconditionFailed, "stale")
		var done attain.Activity
		rep.do("POST", fmt.Sprintf("/api/v1/activities/%d/complete", task), nil, "If-Match", `"1"`).want(t, http.StatusOK).decode(t, &done)
		if done.DoneAt == nil || done.OccurredAt == nil {
			t.Errorf("completed: %+v", done)
		}
		rep.do("POST", fmt.Sprintf("/api/v1/activities/%d/complete", task), `{"outcome":"again"}`).problemType(t, http.StatusConflict, "conflict")

		// Edit, delete, restore, history.
		path := fmt.Sprintf("/api/v1/activities/%d", call.ID)
		rep.do("PATCH", path, `{"sentiment":"thrilled"}`).problemType(t, http.StatusUnprocessableEntity, "invalid")
		rep.do("PATCH", path, `{"sentiment":"positive","outcome":"Next: demo"}`, "If-Match", `"1"`).want(t, http.StatusOK)
		other.do("GET", path, nil).problemType(t, http.StatusNotFound, "not_found")
		mgr.do("GET", path, nil).want(t, http.StatusOK)
		rep.do("DELETE", path, nil, "If-Match", `"2"`).want(t, http.StatusNoContent)
		rep.do("GET", path, nil).want(t, http.StatusOK)
		rep.do("POST", path+"/restore", nil).want(t, http.StatusOK)
		var hist List[attain.FieldChange]
		rep.do("GET", path+"/history", nil).want(t, http.StatusOK).decode(t, &hist)
		if len(hist.Items) < 5 {
			t.Errorf("history has %d changes", len(hist.Items))
		}

		// Notes on the deal: the author edits, others of the team read.
		note := rep.do("POST", fmt.Sprintf("/api/v1/deals/%d/notes", deal), `{"body":"Champion is the CFO"}`).want(t, http.StatusCreated).id(t)
		other.do("POST", fmt.Sprintf("/api/v1/deals/%d/notes", deal), `{"body":"x"}`).problemType(t, http.StatusNotFound, "not_found")
		other.do("GET", fmt.Sprintf("/api/v1/notes/%d", note), nil).problemType(t, http.StatusNotFound, "not_found")
		mgr.do("PATCH", fmt.Sprintf("/api/v1/notes/%d", note), `{"body":"mine"}`).problemType(t, http.StatusForbidden, "forbidden")
		rep.do("PATCH", fmt.Sprintf("/api/v1/notes/%d", note), `{"body":"Champion is the CFO, Jane"}`, "If-Match", `"1"`).want(t, http.StatusOK)
		var notes List[attain.Note]
		mgr.do("GET", fmt.Sprintf("/api/v1/deals/%d/notes", deal), nil).want(t, http.StatusOK).decode(t, &notes)
		if len(notes.Items) != 1 || notes.Items[0].Body != "Champion is the CFO, Jane" {
			t.Errorf("deal notes: %+v", notes.Items)
		}

		// The timeline pages newest first with flattened items.
		var all []map[string]any
		cursor := ""
		for range 50 {
			var page struct {
				Items      []map[string]any `json:"items"`
				NextCursor string           `json:"next_cursor"`
			}
			rep.do("GET", fmt.Sprintf("/api/v1/deals/%d/timeline?limit=2&cursor=%s", deal, cursor), nil).want(t, http.StatusOK).decode(t, &page)
			all = append(all, page.Items...)
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		kinds := map[string]bool{}
		for i, it := range all {
			kinds[it["kind"].(string)] = true
			if it["at"] == nil || it["id"] == nil {
				t.Errorf("item %d lacks at or id: %v", i, it)
			}
			if i > 0 && it["at"].(string) > all[i-1]["at"].(string) && len(it["at"].(string)) == len(all[i-1]["at"].(string)) {
				t.Errorf("item %d (%v) is newer than item %d (%v)", i, it["at"], i-1, all[i-1]["at"])
			}
		}
		for _, k := range []string{"activity", "note", "change", "stage"} {
			if !kinds[k] {
				t.Errorf("timeline lacks %s items: %v", k, kinds)
			}
		}
		if all[0]["body"] == nil && all[0]["subject"] == nil && all[0]["field"] == nil && all[0]["stage_name"] == nil {
			t.Errorf("items are not flattened: %v", all[0])
		}
		other.do("GET", fmt.Sprintf("/api/v1/deals/%d/timeline", deal), nil).problemType(t, http.StatusNotFound, "not_found")
		rep.do("GET", fmt.Sprintf("/api/v1/accounts/%d/timeline", acc), nil).want(t, http.StatusOK)
		rep.do("GET", fmt.Sprintf("/api/v1/deals/%d/timeline?cursor=nonsense", deal), nil).problemType(t, http.StatusUnprocessableEntity, "invalid")
	})
}

func TestCustomFieldsAPI(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Custom API")
		rep, admin, mgr := e.tokenClient(ws.Rep), e.tokenClient(ws.Admin), e.tokenClient(ws.Manager)
		body := `{"entity_type":"account","key":"seats","label":"Seats","type":"number","purpose":"Sizes the opportunity for the forecast"}`
		rep.do("POST", "/api/v1/custom-fields", body).problemType(t, http.StatusForbidden, "forbidden")
		p := admin.do("POST", "/api/v1/custom-fields", `{"entity_type":"account","key":"seats","label":"Seats","type":"number"}`).
			problemType(t, http.StatusUnprocessableEntity, "invalid")
		if !slices.Equal(p.fields(), []string{"purpose"}) {
			t.Errorf("missing purpose: fields %v", p.fields())
		}
		id := admin.do("POST", "/api/v1/custom-fields", body).want(t, http.StatusCreated).id(t)

		var fs List[attain.CustomField]
		rep.do("GET", "/api/v1/custom-fields?entity_type=account", nil).want(t, http.StatusOK).decode(t, &fs)
		if len(fs.Items) != 1 || !strings.Contains(fs.Items[0].Purpose, "forecast") {
			t.Fatalf("fields: %+v", fs.Items)
		}
		rep.do("POST", "/api/v1/accounts", `{"name":"Full","custom":{"seats":40}}`).want(t, http.StatusCreated)
		rep.do("POST", "/api/v1/accounts", `{"name":"Empty"}`).want(t, http.StatusCreated)

		// Every kind of record checks its custom values on create and update.
		for _, c := range []struct{ path, body, field string }{
			{"/api/v1/accounts", `{"name":"Typo","custom":{"seats":"forty"}}`, "custom.seats"},
			{"/api/v1/contacts", `{"last_name":"Doe","custom":{"seats":1}}`, "custom.seats"},
			{"/api/v1/leads", `{"company":"Lead Co","custom":{"colour":"red"}}`, "custom.colour"},
			{"/api/v1/deals", `{"name":"Deal","custom":{"colour":"red"}}`, "custom.colour"},
		} {
			p := rep.do("POST", c.path, c.body).problemType(t, http.StatusUnprocessableEntity, "invalid")
			if !slices.Contains(p.fields(), c.field) {
				t.Errorf("POST %s: fields %v, want %s", c.path, p.fields(), c.field)
			}
		}
		empty := rep.do("GET", "/api/v1/accounts?name=Empty", nil).want(t, http.StatusOK)
		var accs List[attain.Account]
		empty.decode(t, &accs)
		if len(accs.Items) != 1 {
			t.Fatalf("accounts named Empty: %+v", accs.Items)
		}
		rep.do("PATCH", fmt.Sprintf("/api/v1/accounts/%d", accs.Items[0].ID), `{"custom":{"seats":1.5e2}}`).want(t, http.StatusOK)
		p = rep.do("PATCH", fmt.Sprintf("/api/v1/accounts/%d", accs.Items[0].ID), `{"custom":{"seats":true}}`).problemType(t, http.StatusUnprocessableEntity, "invalid")
		if !slices.Equal(p.fields(), []string{"custom.seats"}) {
			t.Errorf("PATCH seats=true: fields %v", p.fields())
		}
		rep.do("PATCH", fmt.Sprintf("/api/v1/accounts/%d", accs.Items[0].ID), `{"custom":{"seats":null}}`).want(t, http.StatusOK)

		rep.do("GET", "/api/v1/custom-fields/usage?entity_type=account", nil).problemType(t, http.StatusForbidden, "forbidden")
		var usage List[attain.CustomFieldUsage]
		mgr.do("GET", "/api/v1/custom-fields/usage?entity_type=account", nil).want(t, http.StatusOK).decode(t, &usage)
		if len(usage.Items) != 1 || usage.Items[0].Filled != 1 || usage.Items[0].Records != 2 || usage.Items[0].FillRate != 0.5 {
			t.Errorf("usage: %+v", usage.Items)
		}
		admin.do("DELETE", fmt.Sprintf("/api/v1/custom-fields/%d", id), nil).problemType(t, http.StatusConflict, "conflict")
		admin.do("PATCH", fmt.Sprintf("/api/v1/custom-fields/%d", id), `{"retired":true}`, "If-Match", `"1"`).want(t, http.StatusOK)
	})
}
