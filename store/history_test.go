package store_test

import (
	"context"
	"testing"

	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// TestRecordCreatedBy checks the set-wise history of created records: one
// row per record, in the order given, each with the field, value, actor,
// time and request a row-by-row writer would give it.
func TestRecordCreatedBy(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws, user := bulkWorkspace(t, db, "History Co")
		ids := []int64{42, 7, 1 << 40}
		var now = db.Now()
		storetest.Write(t, db, func(tx *store.Tx) error {
			now = tx.Now
			if err := tx.RecordCreatedBy(ctx, ws, "account", ids, "import", `{"import_id":3}`, &user, "req-1"); err != nil {
				return err
			}
			// The system as actor, and nothing to record.
			if err := tx.RecordCreatedBy(ctx, ws, "deal", []int64{9}, "import", `{"import_id":4}`, nil, ""); err != nil {
				return err
			}
			return tx.RecordCreatedBy(ctx, ws, "deal", nil, "import", `{}`, nil, "")
		})
		var first int64
		for i, id := range ids {
			storetest.Read(t, db, func(tx *store.Tx) error {
				ch, err := tx.FindChanges(ctx, ws, "account", id)
				if err != nil {
					return err
				}
				if len(ch) != 1 {
					t.Fatalf("account %d: %d changes, want 1", id, len(ch))
				}
				c := ch[0]
				if c.Field != "import" || string(c.New) != `{"import_id":3}` || c.Old != nil || c.ActorID == nil || *c.ActorID != user ||
					!c.At.Equal(now) || c.RequestID != "req-1" {
					t.Fatalf("account %d: %+v", id, c)
				}
				if i > 0 && c.ID <= first {
					t.Fatalf("account %d: change %d is not after the previous one (%d): not in the order given", id, c.ID, first)
				}
				first = c.ID
				return nil
			})
		}
		storetest.Read(t, db, func(tx *store.Tx) error {
			ch, err := tx.FindChanges(ctx, ws, "deal", 9)
			if err != nil || len(ch) != 1 || ch[0].ActorID != nil || ch[0].RequestID != "" {
				t.Fatalf("deal 9: %+v %v", ch, err)
			}
			return nil
		})
	})
}
