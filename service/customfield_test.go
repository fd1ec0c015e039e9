package service_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

func (e *actEnv) field(in attain.NewCustomField) *attain.CustomField {
	e.t.Helper()
	f, err := e.svc.CreateCustomField(e.ctx, e.admin, in)
	if err != nil {
		e.t.Fatalf("custom field %s: %v", in.Key, err)
	}
	return f
}

func TestCustomFieldDefinitions(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newActEnv(t, db)
		po := attain.NewCustomField{EntityType: "deal", Key: "po_number", Label: "PO number", Type: "text", Purpose: "Finance needs it to invoice"}
		_, err := e.svc.CreateCustomField(e.ctx, e.rep, po)
		wantCode(t, err, attain.EFORBIDDEN, "")
		noPurpose := po
		noPurpose.Purpose = ""
		_, err = e.svc.CreateCustomField(e.ctx, e.admin, noPurpose)
		wantCode(t, err, attain.EINVALID, "purpose")
		f := e.field(po)
		_, err = e.svc.CreateCustomField(e.ctx, e.admin, po)
		wantCode(t, err, attain.EINVALID, "key")
		// The same key on another kind of record is another field.
		onAccount := po
		onAccount.EntityType = "account"
		e.field(onAccount)

		_, err = e.svc.CreateCustomField(e.ctx, e.admin, attain.NewCustomField{EntityType: "deal", Key: "vertical", Label: "Vertical",
			Type: "picklist", Picklist: "verticals", Purpose: "Routing"})
		wantCode(t, err, attain.EINVALID, "picklist")
		ind := e.field(attain.NewCustomField{EntityType: "deal", Key: "vertical", Label: "Vertical", Type: "picklist", Picklist: "industry", Purpose: "Routing"})
		if !slices.Contains(ind.Options, "software") {
			t.Errorf("picklist options %v lack the industry list's values", ind.Options)
		}

		// Every member reads the definitions, with their purpose.
		fs, err := e.svc.FindCustomFields(e.ctx, e.rep, "deal")
		if err != nil || len(fs) != 2 || fs[0].Purpose != "Finance needs it to invoice" || len(fs[1].Options) == 0 {
			t.Fatalf("deal fields as a rep: %+v, %v", fs, err)
		}
		if all, _ := e.svc.FindCustomFields(e.ctx, e.rep, ""); len(all) != 3 {
			t.Errorf("all fields: %d, want 3", len(all))
		}
		_, err = e.svc.FindCustomFields(e.ctx, e.rep, "product")
		wantCode(t, err, attain.EINVALID, "entity_type")

		_, err = e.svc.UpdateCustomField(e.ctx, e.admin, f.ID, f.Version+1, attain.CustomFieldUpdate{Required: actPtr(true)})
		wantCode(t, err, attain.ESTALE, "")
		_, err = e.svc.UpdateCustomField(e.ctx, e.admin, f.ID, 0, attain.CustomFieldUpdate{Purpose: actPtr(" ")})
		wantCode(t, err, attain.EINVALID, "purpose")
		up, err := e.svc.UpdateCustomField(e.ctx, e.admin, f.ID, f.Version, attain.CustomFieldUpdate{Label: actPtr("Purchase order"), Retired: actPtr(true)})
		if err != nil || up.Label != "Purchase order" || up.RetiredAt == nil || up.Key != "po_number" || up.Version != 2 {
			t.Fatalf("update: %+v, %v", up, err)
		}
		_, err = e.svc.UpdateCustomField(e.ctx, e.manager, f.ID, 0, attain.CustomFieldUpdate{Retired: actPtr(false)})
		wantCode(t, err, attain.EFORBIDDEN, "")
	})
}

func TestCheckCustom(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newActEnv(t, db)
		e.field(attain.NewCustomField{EntityType: "deal", Key: "sponsor", Label: "Sponsor", Type: "user", Purpose: "Exec sponsor"})
		e.field(attain.NewCustomField{EntityType: "deal", Key: "partner", Label: "Partner", Type: "reference", Purpose: "Partner account"})
		e.field(attain.NewCustomField{EntityType: "deal", Key: "vertical", Label: "Vertical", Type: "picklist", Picklist: "industry", Purpose: "Routing"})
		e.field(attain.NewCustomField{EntityType: "deal", Key: "regions", Label: "Regions", Type: "multi_picklist", Picklist: "industry", Purpose: "Routing"})
		acc := e.account(e.rep, "Partner Co")

		check := func(prev, next map[string]json.RawMessage) error {
			return e.db.WriteTx(e.ctx, func(tx *store.Tx) error {
				return e.svc.CheckCustom(e.ctx, tx, e.rep, "deal", prev, next)
			})
		}
		raw := func(kv ...string) map[string]json.RawMessage {
			m := map[string]json.RawMessage{}
			for i := 0; i < len(kv); i += 2 {
				m[kv[i]] = json.RawMessage(kv[i+1])
			}
			return m
		}
		ok := raw("sponsor", actID(e.manager.UserID), "partner", `{"type":"account","id":`+actID(acc.ID)+`}`,
			"vertical", `"software"`, "regions", `["retail","energy"]`, "cleared", `null`)
		// cleared is unknown, but null clears it, so it is dropped first.
		if err := check(nil, ok); err != nil {
			t.Fatalf("valid values: %v", err)
		}
		if _, still := ok["cleared"]; still {
			t.Error("CheckCustom kept a null value")
		}
		for _, tc := range []struct {
			name  string
			next  map[string]json.RawMessage
			field string
		}{
			{"unknown key", raw("colour", `"red"`), "custom.colour"},
			{"user not a member", raw("sponsor", `99999`), "custom.sponsor"},
			{"user not an id", raw("sponsor", `"boss"`), "custom.sponsor"},
			{"reference to nothing", raw("partner", `{"type":"deal","id":99999}`), "custom.partner"},
			{"unknown picklist value", raw("vertical", `"astrology"`), "custom.vertical"},
			{"unknown multi value", raw("regions", `["retail","astrology"]`), "custom.regions"},
		} {
			wantCode(t, check(map[string]json.RawMessage{}, tc.next), attain.EINVALID, tc.field)
		}

		// A retired picklist value stays on the records that have it.
		if _, err := e.svc.UpdatePicklistValue(e.ctx, e.admin, "industry", "software", attain.PicklistValueUpdate{Retired: actPtr(true)}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, check(map[string]json.RawMessage{}, raw("vertical", `"software"`)), attain.EINVALID, "custom.vertical")
		if err := check(raw("vertical", `"software"`), raw("vertical", `"software"`, "regions", `["retail"]`)); err != nil {
			t.Errorf("unchanged retired value refused: %v", err)
		}
	})
}

func TestCustomFieldUsage(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newActEnv(t, db)
		segment := e.field(attain.NewCustomField{EntityType: "account", Key: "segment", Label: "Segment", Type: "text", Purpose: "Territory planning"})
		seats := e.field(attain.NewCustomField{EntityType: "account", Key: "seats", Label: "Seats", Type: "number", Purpose: "Sizes the deal"})
		unused := e.field(attain.NewCustomField{EntityType: "account", Key: "unused", Label: "Unused", Type: "text", Purpose: "Nobody remembers"})
		e.field(attain.NewCustomField{EntityType: "deal", Key: "segment", Label: "Segment", Type: "text", Purpose: "Not an account field"})

		mk := func(name string, custom map[string]json.RawMessage) *attain.Account {
			x, err := e.svc.CreateAccount(e.ctx, e.rep, attain.AccountInput{Name: name, Custom: custom})
			if err != nil {
				t.Fatalf("account %s: %v", name, err)
			}
			return x
		}
		mk("A1", map[string]json.RawMessage{"segment": json.RawMessage(`"smb"`), "seats": json.RawMessage(`5`)})
		mk("A2", map[string]json.RawMessage{"seats": json.RawMessage(`0`)})
		mk("A3", nil)
		gone := mk("A4", map[string]json.RawMessage{"segment": json.RawMessage(`"enterprise"`)})
		if err := e.svc.DeleteAccount(e.ctx, e.rep, gone.ID, 0); err != nil {
			t.Fatal(err)
		}

		_, err := e.svc.CustomFieldUsage(e.ctx, e.rep, "account")
		wantCode(t, err, attain.EFORBIDDEN, "")
		_, err = e.svc.CustomFieldUsage(e.ctx, e.manager, "product")
		wantCode(t, err, attain.EINVALID, "entity_type")
		us, err := e.svc.CustomFieldUsage(e.ctx, e.manager, "account")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][2]int64{}
		rates := map[string]float64{}
		for _, u := range us {
			got[u.Field.Key] = [2]int64{u.Filled, u.Records}
			rates[u.Field.Key] = u.FillRate
		}
		want := map[string][2]int64{"segment": {1, 3}, "seats": {2, 3}, "unused": {0, 3}}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s: filled/records %v, want %v", k, got[k], w)
			}
		}
		if len(us) != 3 || rates["seats"] < 0.66 || rates["seats"] > 0.67 || rates["unused"] != 0 {
			t.Errorf("usage %v rates %v", got, rates)
		}

		// A field in use (by a deleted record too) is retired, not deleted.
		wantCode(t, e.svc.DeleteCustomField(e.ctx, e.admin, segment.ID, 0), attain.ECONFLICT, "")
		wantCode(t, e.svc.DeleteCustomField(e.ctx, e.admin, seats.ID, 0), attain.ECONFLICT, "")
		wantCode(t, e.svc.DeleteCustomField(e.ctx, e.manager, unused.ID, 0), attain.EFORBIDDEN, "")
		if err := e.svc.DeleteCustomField(e.ctx, e.admin, unused.ID, unused.Version); err != nil {
			t.Fatalf("delete unused field: %v", err)
		}
		_, err = e.svc.FindCustomField(e.ctx, e.admin, unused.ID)
		wantCode(t, err, attain.ENOTFOUND, "")
	})
}
