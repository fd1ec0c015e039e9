package store_test

import (
	"context"
	"testing"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// TestAccountStore checks the SQL the account services rely on, on each
// engine: matching for lead conversion, the tag filter, the parent chain.
func TestAccountStore(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := storetest.NewWorkspace(t, db, "Account Store")
		rep := storetest.NewMember(t, db, ws, "Rita Rep", attain.RoleRep)
		other := storetest.NewMember(t, db, ws, "Olly Other", attain.RoleRep)
		var repActor, otherActor *attain.Actor
		storetest.Read(t, db, func(tx *store.Tx) (err error) {
			if repActor, err = tx.LoadActor(ctx, ws.ID, rep.ID); err != nil {
				return err
			}
			otherActor, err = tx.LoadActor(ctx, ws.ID, other.ID)
			return err
		})
		create := func(owner int64, name, domain string, tags []string, parent *int64) *attain.Account {
			x := &attain.Account{Name: name, Domain: domain, OwnerID: owner, Tags: tags, ParentID: parent}
			storetest.Write(t, db, func(tx *store.Tx) error { return tx.CreateAccount(ctx, ws.ID, x) })
			return x
		}
		group := create(rep.ID, "ACME  Group", "acme.example", []string{"a_b", "vip"}, nil)
		sub := create(rep.ID, "Acme Sub", "", []string{"axb"}, &group.ID)
		hidden := create(other.ID, "Hidden Corp", "hidden.example", nil, nil)

		storetest.Read(t, db, func(tx *store.Tx) error {
			// Domain first, then the name key; invisible accounts never match.
			for _, c := range []struct {
				a            *attain.Actor
				domain, name string
				want         int64
				how          string
			}{
				{repActor, "acme.example", "nothing", group.ID, attain.MatchDomain},
				{repActor, "", attain.NameKey(" acme GROUP "), group.ID, attain.MatchName},
				{repActor, "hidden.example", "hidden corp", 0, ""},
				{otherActor, "hidden.example", "", hidden.ID, attain.MatchDomain},
			} {
				got, how, err := tx.MatchAccount(ctx, c.a, c.domain, c.name)
				if err != nil {
					return err
				}
				var id int64
				if got != nil {
					id = got.ID
				}
				if id != c.want || how != c.how {
					t.Errorf("MatchAccount(%q, %q) = %d %q, want %d %q", c.domain, c.name, id, how, c.want, c.how)
				}
			}
			// "_" in a tag is a literal, not LIKE's wildcard.
			q := attain.ListQuery{Filters: []attain.Filter{{Field: "tag", Values: []string{"A_B"}}}}
			got, _, err := tx.FindAccounts(ctx, repActor, q)
			if err != nil {
				return err
			}
			if len(got) != 1 || got[0].ID != group.ID {
				t.Errorf("tag a_b matched %d accounts", len(got))
			}
			// The chain from sub upwards contains the group, not the reverse.
			up, err := tx.AccountInChain(ctx, ws.ID, sub.ID, group.ID)
			if err != nil {
				return err
			}
			down, err := tx.AccountInChain(ctx, ws.ID, group.ID, sub.ID)
			if err != nil {
				return err
			}
			if !up || down {
				t.Errorf("AccountInChain up %v down %v", up, down)
			}
			return nil
		})

		// Contacts match by main email first, then by an extra one.
		main := &attain.Contact{LastName: "Main", Email: "x_y@acme.example", OwnerID: rep.ID}
		extra := &attain.Contact{LastName: "Extra", Email: "other@acme.example", Emails: []string{"second@acme.example"}, OwnerID: rep.ID}
		storetest.Write(t, db, func(tx *store.Tx) error {
			if err := tx.CreateContact(ctx, ws.ID, extra); err != nil {
				return err
			}
			return tx.CreateContact(ctx, ws.ID, main)
		})
		storetest.Read(t, db, func(tx *store.Tx) error {
			for email, want := range map[string]int64{"x_y@acme.example": main.ID, "second@acme.example": extra.ID, "xzy@acme.example": 0, "second@acme": 0} {
				got, err := tx.MatchContact(ctx, repActor, email)
				if err != nil {
					return err
				}
				if (got == nil) != (want == 0) || got != nil && got.ID != want {
					t.Errorf("MatchContact(%q) = %+v, want %d", email, got, want)
				}
			}
			got, err := tx.MatchContact(ctx, otherActor, "second@acme.example")
			if got != nil {
				t.Errorf("another rep matched %+v", got)
			}
			return err
		})

		// A stale version is refused and changes nothing.
		x := *sub
		x.Name = "Renamed"
		err := db.WriteTx(ctx, func(tx *store.Tx) error { return tx.UpdateAccount(ctx, ws.ID, &x, sub.Version+1) })
		storetest.WantCode(t, err, attain.ESTALE)
		storetest.Write(t, db, func(tx *store.Tx) error { return tx.UpdateAccount(ctx, ws.ID, &x, sub.Version) })
		storetest.Read(t, db, func(tx *store.Tx) error {
			got, err := tx.FindAccount(ctx, ws.ID, sub.ID)
			if err == nil && (got.Name != "Renamed" || got.Version != 2 || len(got.Tags) != 1) {
				t.Errorf("after update %+v", got)
			}
			return err
		})
	})
}
