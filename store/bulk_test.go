package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// bulkWorkspace makes a workspace with one member, for the bulk tests.
func bulkWorkspace(t *testing.T, db *store.DB, name string) (wsID, userID int64) {
	t.Helper()
	ctx := context.Background()
	storetest.Write(t, db, func(tx *store.Tx) error {
		w := &attain.Workspace{Name: name, Slug: attain.Slugify(name)}
		if err := tx.CreateWorkspace(ctx, w); err != nil {
			return err
		}
		u := &attain.User{Email: attain.Slugify(name) + "@example.com", Name: name}
		if _, err := tx.CreateUser(ctx, u, "x"); err != nil {
			return err
		}
		wsID, userID = w.ID, u.ID
		return tx.AddMember(ctx, w.ID, u.ID, attain.RoleAdmin)
	})
	return wsID, userID
}

// loadAccounts bulk-loads n accounts with two contacts each, the contacts
// added right after their account, so children fill batches before their
// parents do.
func loadAccounts(t *testing.T, db *store.DB, wsID, owner int64, n int, prefix string) {
	t.Helper()
	ctx := context.Background()
	err := db.BulkTx(ctx, func(tx *store.Tx) error {
		l := tx.NewLoader()
		defer l.Close()
		accounts := l.Table("accounts", "workspace_id", "id", "name", "name_key", "domain", "owner_id", "created_at", "updated_at")
		contacts := l.Table("contacts", "workspace_id", "account_id", "first_name", "last_name", "email", "owner_id", "created_at", "updated_at")
		ids := tx.NewIDs("accounts")
		now := time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.FixedZone("X", 3600))
		for i := range n {
			id, err := ids.Next(ctx)
			if err != nil {
				return err
			}
			name := fmt.Sprintf("%s Zürich Labs %d", prefix, i)
			if err := accounts.Add(ctx, wsID, id, name, attain.NameKey(name), fmt.Sprintf("%s%d.example", prefix, i), owner, now, now); err != nil {
				return err
			}
			for k := range 2 {
				if err := contacts.Add(ctx, wsID, id, "Ana", fmt.Sprintf("%s%d", prefix, k), fmt.Sprintf("ana%d@%s%d.example", k, prefix, i), owner, now, now); err != nil {
					return err
				}
			}
		}
		if err := l.Flush(ctx); err != nil {
			return err
		}
		if accounts.Rows() != int64(n) || contacts.Rows() != int64(2*n) {
			return fmt.Errorf("wrote %d accounts and %d contacts", accounts.Rows(), contacts.Rows())
		}
		return nil
	})
	if err != nil {
		t.Fatalf("bulk load: %v", err)
	}
}

// TestBulkLoader loads more rows than one statement holds, children
// referencing parents loaded beside them, on every engine: every row lands,
// times are stored as UTC microseconds, the search index has the rows, and
// ids keep coming after the loaded ones.
func TestBulkLoader(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		wsID, owner := bulkWorkspace(t, db, "Bulk Co")
		loadAccounts(t, db, wsID, owner, 1300, "bulk")
		if err := db.Analyze(ctx, "accounts", "contacts"); err != nil {
			t.Fatal(err)
		}
		a := attain.SystemActor(wsID)
		storetest.Read(t, db, func(tx *store.Tx) error {
			accs, _, err := tx.FindAccounts(ctx, a, attain.ListQuery{Page: attain.Page{Limit: 5}, Sort: attain.Sort{Field: "name"}})
			if err != nil {
				return err
			}
			if len(accs) != 5 || !accs[0].CreatedAt.Equal(time.Date(2026, 1, 2, 2, 4, 5, 123456000, time.UTC)) {
				t.Errorf("accounts %v, created %v", len(accs), accs[0].CreatedAt)
			}
			hits, err := tx.Search(ctx, a, attain.SearchQuery{Q: "zurich labs 1299", Types: []string{"account"}, Limit: 5})
			if err != nil {
				return err
			}
			if len(hits) == 0 || hits[0].Title != "bulk Zürich Labs 1299" {
				t.Errorf("search found %+v", hits)
			}
			hits, err = tx.Search(ctx, a, attain.SearchQuery{Q: "ana1@bulk7.example", Types: []string{"contact"}})
			if err != nil {
				return err
			}
			if len(hits) != 1 {
				t.Errorf("contact search found %+v", hits)
			}
			return nil
		})
		// An ordinary insert after the load gets a fresh id.
		storetest.Write(t, db, func(tx *store.Tx) error {
			x := &attain.Account{Name: "After", OwnerID: owner}
			if err := tx.CreateAccount(ctx, wsID, x); err != nil {
				return err
			}
			got, err := tx.FindAccount(ctx, wsID, x.ID)
			if err != nil || got.Name != "After" {
				t.Errorf("account after the load: %+v %v", got, err)
			}
			return nil
		})
	})
}

// TestPurgeWorkspace deletes one workspace's rows in every table and
// leaves the other workspace and the audit log alone.
func TestPurgeWorkspace(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		gone, u1 := bulkWorkspace(t, db, "Gone Co")
		kept, u2 := bulkWorkspace(t, db, "Kept Co")
		loadAccounts(t, db, gone, u1, 30, "gone")
		loadAccounts(t, db, kept, u2, 20, "kept")
		storetest.Write(t, db, func(tx *store.Tx) error {
			if _, err := tx.CreateTeam(ctx, gone, attain.TeamInput{Name: "Sales", ManagerID: &u1, MemberIDs: []int64{u1}}); err != nil {
				return err
			}
			return tx.Audit(ctx, attain.SystemActor(gone), "create", "thing", 1, nil, map[string]int{"x": 1})
		})
		storetest.Write(t, db, func(tx *store.Tx) error { return tx.PurgeWorkspace(ctx, gone) })
		storetest.Read(t, db, func(tx *store.Tx) error {
			if _, err := tx.FindWorkspace(ctx, gone); attain.ErrorCode(err) != attain.ENOTFOUND {
				t.Errorf("purged workspace: %v", err)
			}
			accs, _, err := tx.FindAccounts(ctx, attain.SystemActor(gone), attain.ListQuery{})
			if err != nil || len(accs) != 0 {
				t.Errorf("purged workspace still has %d accounts (%v)", len(accs), err)
			}
			accs, _, err = tx.FindAccounts(ctx, attain.SystemActor(kept), attain.ListQuery{Page: attain.Page{Limit: 100}})
			if err != nil || len(accs) != 20 {
				t.Errorf("kept workspace has %d accounts (%v)", len(accs), err)
			}
			hits, err := tx.Search(ctx, attain.SystemActor(gone), attain.SearchQuery{Q: "gone"})
			if err != nil || len(hits) != 0 {
				t.Errorf("search still finds purged records: %+v %v", hits, err)
			}
			entries, _, err := tx.FindAudit(ctx, gone, attain.AuditFilter{})
			if err != nil || len(entries) == 0 {
				t.Errorf("the audit log lost the purged workspace's entries: %d %v", len(entries), err)
			}
			return nil
		})
	})
}
