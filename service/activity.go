package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

var _ attain.ActivityService = (*Service)(nil)

// seedActivityTypes gives a new workspace the default key activities.
func (s *Service) seedActivityTypes(ctx context.Context, tx *store.Tx, a *attain.Actor) error {
	for i, t := range attain.DefaultActivityTypes {
		pos := i
		t.Position = &pos
		if _, err := tx.CreateActivityType(ctx, a.WorkspaceID, t); err != nil {
			return err
		}
	}
	return nil
}

// FindActivityTypes lists the activity types, retired ones included; every
// member reads them.
func (s *Service) FindActivityTypes(ctx context.Context, a *attain.Actor) ([]*attain.ActivityType, error) {
	var out []*attain.ActivityType
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindActivityTypes(ctx, a.WorkspaceID)
		return err
	})
	return out, err
}

// CreateActivityType adds a key activity; admins only.
func (s *Service) CreateActivityType(ctx context.Context, a *attain.Actor, in attain.NewActivityType) (*attain.ActivityType, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var t *attain.ActivityType
	err := s.db.WriteTx(ctx, func(tx *store.Tx) (err error) {
		if t, err = tx.CreateActivityType(ctx, a.WorkspaceID, in); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "create", "activity_type", t.ID, nil, t)
	})
	return t, err
}

// UpdateActivityType renames, reorders, retires or reinstates a type;
// admins only.
func (s *Service) UpdateActivityType(ctx context.Context, a *attain.Actor, id int64, u attain.ActivityTypeUpdate) (*attain.ActivityType, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, err
	}
	var t *attain.ActivityType
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := tx.FindActivityType(ctx, a.WorkspaceID, id)
		if err != nil {
			return err
		}
		c := *before
		if err := u.Apply(&c, tx.Now); err != nil {
			return err
		}
		if err := tx.UpdateActivityType(ctx, a.WorkspaceID, &c); err != nil {
			return err
		}
		t = &c
		return tx.Audit(ctx, a, "update", "activity_type", id, before, t)
	})
	return t, err
}

// resolveActivityType finds the type named by key or id. A retired type is
// refused unless the activity already has it (current).
func resolveActivityType(ctx context.Context, tx *store.Tx, workspaceID int64, key string, id, current int64) (*attain.ActivityType, error) {
	var t *attain.ActivityType
	var err error
	field := "type"
	if key != "" {
		t, err = tx.FindActivityTypeByKey(ctx, workspaceID, key)
	} else {
		field = "type_id"
		t, err = tx.FindActivityType(ctx, workspaceID, id)
	}
	if attain.ErrorCode(err) == attain.ENOTFOUND {
		types, err := tx.FindActivityTypes(ctx, workspaceID)
		if err != nil {
			return nil, err
		}
		var keys []string
		for _, t := range types {
			if t.RetiredAt == nil {
				keys = append(keys, t.Key)
			}
		}
		return nil, attain.Invalid(field, "is not an activity type; known: %s", strings.Join(keys, ", "))
	}
	if err != nil {
		return nil, err
	}
	if t.RetiredAt != nil && t.ID != current {
		return nil, attain.Invalid(field, "%s is retired; choose another activity type", t.Key)
	}
	return t, nil
}

// maxFutureActivity is how far ahead an activity may be logged as done;
// beyond that it is a plan, and plans are tasks with due_at.
const maxFutureActivity = 24 * time.Hour

// CreateActivity logs an activity or plans a task. Only the type and one
// record are needed; see attain.NewActivity for the defaults.
func (s *Service) CreateActivity(ctx context.Context, a *attain.Actor, in attain.NewActivity) (*attain.Activity, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	x := &attain.Activity{
		Subject: in.Subject, Note: in.Note, DealID: in.DealID, ContactID: in.ContactID, AccountID: in.AccountID,
		LeadID: in.LeadID, OwnerID: a.UserID, TeamID: in.TeamID, DueAt: in.DueAt,
		DurationMinutes: in.DurationMinutes, Outcome: in.Outcome, Sentiment: in.Sentiment,
	}
	if in.OwnerID != nil {
		x.OwnerID = *in.OwnerID
	}
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		t, err := resolveActivityType(ctx, tx, a.WorkspaceID, in.Type, in.TypeID, 0)
		if err != nil {
			return err
		}
		x.TypeID, x.Type, x.TypeName = t.ID, t.Key, t.Name
		if x.Subject == "" {
			x.Subject = t.Name
		}
		now := tx.Now
		switch {
		case in.OccurredAt != nil:
			x.OccurredAt, x.DoneAt = in.OccurredAt, &now
		case in.DueAt == nil:
			x.OccurredAt, x.DoneAt = &now, &now
		}
		if err := s.checkActivity(ctx, tx, a, x, nil); err != nil {
			return err
		}
		if err := tx.CreateActivity(ctx, a.WorkspaceID, x); err != nil {
			return err
		}
		if err := refreshLastActivity(ctx, tx, a.WorkspaceID, x.DealID); err != nil {
			return err
		}
		if err := tx.RecordChanges(ctx, a, "activity", x.ID, nil, x); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "create", "activity", x.ID, nil, x)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// checkActivity checks the links, owner and team of x that changed since
// before (nil on create), and fills the account from the deal, or else the
// contact, when none is given, so the account's timeline shows the activity.
func (s *Service) checkActivity(ctx context.Context, tx *store.Tx, a *attain.Actor, x, before *attain.Activity) error {
	if before == nil {
		before = &attain.Activity{}
	}
	var v attain.Validation
	if x.OccurredAt != nil && !timeUnchanged(x.OccurredAt, before.OccurredAt) && x.OccurredAt.After(tx.Now.Add(maxFutureActivity)) {
		v.Add("occurred_at", "is in the future; plan a task with due_at instead")
	}
	access := map[string]*attain.RecordAccess{}
	for _, l := range []struct {
		field, typ string
		id, was    *int64
	}{
		{"deal_id", "deal", x.DealID, before.DealID},
		{"contact_id", "contact", x.ContactID, before.ContactID},
		{"account_id", "account", x.AccountID, before.AccountID},
		{"lead_id", "lead", x.LeadID, before.LeadID},
	} {
		if l.id == nil || linkUnchanged(l.id, l.was) {
			continue
		}
		r, err := tx.FindRecordAccess(ctx, a.WorkspaceID, l.typ, *l.id)
		switch {
		case attain.ErrorCode(err) == attain.ENOTFOUND || (err == nil && !r.VisibleTo(a)):
			v.Add(l.field, "is not a %s you can see", l.typ)
		case err != nil:
			return err
		case r.DeletedAt != nil:
			v.Add(l.field, "is a deleted %s; restore it first", l.typ)
		default:
			access[l.typ] = r
		}
	}
	if x.AccountID == nil {
		for _, typ := range []string{"deal", "contact"} {
			if r := access[typ]; r != nil && r.AccountID != nil {
				id := *r.AccountID
				x.AccountID = &id
				break
			}
		}
	}
	if x.OwnerID == 0 {
		v.Add("owner_id", "is required")
	} else if x.OwnerID != before.OwnerID {
		if err := isMember(ctx, tx, a.WorkspaceID, x.OwnerID); err != nil {
			if attain.ErrorCode(err) != attain.ENOTFOUND {
				return err
			}
			v.Add("owner_id", "is not a member of this workspace")
		}
	}
	if x.TeamID != nil && !linkUnchanged(x.TeamID, before.TeamID) {
		if _, err := tx.FindTeam(ctx, a.WorkspaceID, *x.TeamID); err != nil {
			if attain.ErrorCode(err) != attain.ENOTFOUND {
				return err
			}
			v.Add("team_id", "is not a team of this workspace")
		}
	}
	return v.Err()
}

func isMember(ctx context.Context, tx *store.Tx, workspaceID, userID int64) error {
	_, err := tx.FindMember(ctx, workspaceID, userID)
	return err
}

func linkUnchanged(x, y *int64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }

func timeUnchanged(x, y *time.Time) bool {
	return (x == nil) == (y == nil) && (x == nil || x.Equal(*y))
}

// refreshLastActivity recomputes last_activity_at of each deal given (nil skipped).
func refreshLastActivity(ctx context.Context, tx *store.Tx, workspaceID int64, ids ...*int64) error {
	var done []int64
	for _, id := range ids {
		if id == nil || slices.Contains(done, *id) {
			continue
		}
		done = append(done, *id)
		if err := tx.RefreshDealActivity(ctx, workspaceID, *id); err != nil {
			return err
		}
	}
	return nil
}

// visibleActivity returns an activity the actor may see, and whether they
// may change it: its owner's or team's records are theirs to edit; an
// activity seen only through its deal is read-only.
func visibleActivity(ctx context.Context, tx *store.Tx, a *attain.Actor, id int64) (*attain.Activity, bool, error) {
	x, err := tx.FindActivity(ctx, a.WorkspaceID, id)
	if err != nil {
		return nil, false, err
	}
	var team int64
	if x.TeamID != nil {
		team = *x.TeamID
	}
	if a.CanEdit(x.OwnerID, team) {
		return x, true, nil
	}
	if x.DealID != nil {
		d, err := tx.FindRecordAccess(ctx, a.WorkspaceID, "deal", *x.DealID)
		if err != nil && attain.ErrorCode(err) != attain.ENOTFOUND {
			return nil, false, err
		}
		if err == nil && d.VisibleTo(a) {
			return x, false, nil
		}
	}
	return nil, false, attain.Errorf(attain.ENOTFOUND, "Activity not found.")
}

// editableActivity returns an activity the actor may change, checking the
// version the client read (0 skips the check).
func editableActivity(ctx context.Context, tx *store.Tx, a *attain.Actor, id, version int64, allowDeleted bool) (*attain.Activity, error) {
	x, canEdit, err := visibleActivity(ctx, tx, a, id)
	switch {
	case err != nil:
		return nil, err
	case !canEdit:
		return nil, attain.Errorf(attain.EFORBIDDEN, "You see this activity through its deal but it is not yours to change.")
	case version != 0 && version != x.Version:
		return nil, attain.Errorf(attain.ESTALE, "Activity was changed by someone else; reload it and try again.")
	case x.DeletedAt != nil && !allowDeleted:
		return nil, attain.Errorf(attain.ECONFLICT, "The activity is deleted; restore it first.")
	}
	return x, nil
}

// FindActivity returns an activity the actor may see, deleted or not.
func (s *Service) FindActivity(ctx context.Context, a *attain.Actor, id int64) (*attain.Activity, error) {
	var x *attain.Activity
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		x, _, err = visibleActivity(ctx, tx, a, id)
		return err
	})
	return x, err
}

// FindActivities lists the activities the actor may see.
func (s *Service) FindActivities(ctx context.Context, a *attain.Actor, q attain.ListQuery) ([]*attain.Activity, string, error) {
	var out []*attain.Activity
	var next string
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, next, err = tx.FindActivities(ctx, a, q)
		return err
	})
	return out, next, err
}

// UpdateActivity changes an activity the actor may edit.
func (s *Service) UpdateActivity(ctx context.Context, a *attain.Actor, id, version int64, u attain.ActivityUpdate) (*attain.Activity, error) {
	var x *attain.Activity
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := editableActivity(ctx, tx, a, id, version, false)
		if err != nil {
			return err
		}
		c := *before
		x = &c
		if u.Type != nil || u.TypeID != nil {
			var key string
			var tid int64
			if u.Type != nil {
				key = strings.TrimSpace(*u.Type)
			}
			if u.TypeID != nil {
				tid = *u.TypeID
			}
			if key == "" && tid == 0 {
				return attain.Invalid("type", "must name an activity type")
			}
			t, err := resolveActivityType(ctx, tx, a.WorkspaceID, key, tid, before.TypeID)
			if err != nil {
				return err
			}
			x.TypeID, x.Type, x.TypeName = t.ID, t.Key, t.Name
		}
		if err := u.Apply(x, tx.Now); err != nil {
			return err
		}
		if err := s.checkActivity(ctx, tx, a, x, before); err != nil {
			return err
		}
		return s.saveActivity(ctx, tx, a, "update", before, x)
	})
	return x, err
}

// saveActivity stores a changed activity with its deals' last activity,
// history and audit entry.
func (s *Service) saveActivity(ctx context.Context, tx *store.Tx, a *attain.Actor, action string, before, x *attain.Activity) error {
	if err := tx.UpdateActivity(ctx, a.WorkspaceID, x, before.Version); err != nil {
		return err
	}
	if err := refreshLastActivity(ctx, tx, a.WorkspaceID, before.DealID, x.DealID); err != nil {
		return err
	}
	if err := tx.RecordChanges(ctx, a, "activity", x.ID, before, x); err != nil {
		return err
	}
	return tx.Audit(ctx, a, action, "activity", x.ID, before, x)
}

// CompleteActivity marks a task done: done_at is now, occurred_at is when
// it happened (default now), and the outcome may be recorded with it.
func (s *Service) CompleteActivity(ctx context.Context, a *attain.Actor, id, version int64, in attain.ActivityCompletion) (*attain.Activity, error) {
	var x *attain.Activity
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := editableActivity(ctx, tx, a, id, version, false)
		if err != nil {
			return err
		}
		c := *before
		x = &c
		if err := in.Apply(x, tx.Now); err != nil {
			return err
		}
		if err := s.checkActivity(ctx, tx, a, x, before); err != nil {
			return err
		}
		return s.saveActivity(ctx, tx, a, "complete", before, x)
	})
	return x, err
}

// DeleteActivity moves an activity to the trash; deleting a deleted one
// does nothing.
func (s *Service) DeleteActivity(ctx context.Context, a *attain.Actor, id, version int64) error {
	return s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := editableActivity(ctx, tx, a, id, version, true)
		if err != nil || before.DeletedAt != nil {
			return err
		}
		x := *before
		now := tx.Now
		x.DeletedAt = &now
		return s.saveActivity(ctx, tx, a, "delete", before, &x)
	})
}

// RestoreActivity brings an activity back from the trash; restoring a live
// one returns it.
func (s *Service) RestoreActivity(ctx context.Context, a *attain.Actor, id int64) (*attain.Activity, error) {
	var x *attain.Activity
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := editableActivity(ctx, tx, a, id, 0, true)
		if err != nil {
			return err
		}
		x = before
		if before.DeletedAt == nil {
			return nil
		}
		c := *before
		x = &c
		x.DeletedAt = nil
		return s.saveActivity(ctx, tx, a, "restore", before, x)
	})
	return x, err
}

// ActivityHistory lists an activity's field changes, oldest first.
func (s *Service) ActivityHistory(ctx context.Context, a *attain.Actor, id int64) ([]*attain.FieldChange, error) {
	var out []*attain.FieldChange
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		if _, _, err := visibleActivity(ctx, tx, a, id); err != nil {
			return err
		}
		var err error
		out, err = tx.FindChanges(ctx, a.WorkspaceID, "activity", id)
		return err
	})
	return out, err
}
