package service

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

var _ attain.CustomFieldService = (*Service)(nil)

func checkCustomEntityType(entityType string, allowEmpty bool) error {
	if (allowEmpty && entityType == "") || attain.IsSalesRecordType(entityType) {
		return nil
	}
	return attain.Invalid("entity_type", "must be one of %s", strings.Join(attain.SalesRecordTypes, ", "))
}

// withPicklistOptions fills each picklist field's Options with its list's active
// values, so forms can offer them and values can be checked against them.
func withPicklistOptions(ctx context.Context, tx *store.Tx, workspaceID int64, fs []*attain.CustomField) error {
	lists := map[string][]string{}
	for _, f := range fs {
		if f.Picklist == "" {
			continue
		}
		opts, ok := lists[f.Picklist]
		if !ok {
			p, err := tx.FindPicklist(ctx, workspaceID, f.Picklist)
			if err != nil {
				return err
			}
			opts = []string{}
			for _, v := range p.Values {
				if v.RetiredAt == nil {
					opts = append(opts, v.Value)
				}
			}
			lists[f.Picklist] = opts
		}
		f.Options = opts
	}
	return nil
}

// FindCustomFields lists the custom fields of one kind of record (every
// kind when entityType is ""), with their purpose and options; every member
// reads them.
func (s *Service) FindCustomFields(ctx context.Context, a *attain.Actor, entityType string) ([]*attain.CustomField, error) {
	if err := checkCustomEntityType(entityType, true); err != nil {
		return nil, err
	}
	var out []*attain.CustomField
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		if out, err = tx.FindCustomFields(ctx, a.WorkspaceID, entityType); err != nil {
			return err
		}
		return withPicklistOptions(ctx, tx, a.WorkspaceID, out)
	})
	return out, err
}

// FindCustomField returns one custom field.
func (s *Service) FindCustomField(ctx context.Context, a *attain.Actor, id int64) (*attain.CustomField, error) {
	var f *attain.CustomField
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		if f, err = tx.FindCustomField(ctx, a.WorkspaceID, id); err != nil {
			return err
		}
		return withPicklistOptions(ctx, tx, a.WorkspaceID, []*attain.CustomField{f})
	})
	return f, err
}

// CreateCustomField defines a custom field; admins only. A picklist field's
// list must already have values.
func (s *Service) CreateCustomField(ctx context.Context, a *attain.Actor, in attain.NewCustomField) (*attain.CustomField, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	f := &attain.CustomField{EntityType: in.EntityType, Key: in.Key, Label: in.Label, Type: in.Type, Purpose: in.Purpose,
		Picklist: in.Picklist, Required: in.Required, Position: in.Position}
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := checkFieldPicklist(ctx, tx, a.WorkspaceID, f); err != nil {
			return err
		}
		if err := tx.CreateCustomField(ctx, a.WorkspaceID, f); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "create", "custom_field", f.ID, nil, f)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// checkFieldPicklist loads a picklist field's options and refuses a list
// with no active values: a field on it could never be filled, and an empty
// list is usually a misspelt name.
func checkFieldPicklist(ctx context.Context, tx *store.Tx, workspaceID int64, f *attain.CustomField) error {
	if f.Picklist == "" {
		return nil
	}
	if err := withPicklistOptions(ctx, tx, workspaceID, []*attain.CustomField{f}); err != nil {
		return err
	}
	if len(f.Options) == 0 {
		return attain.Invalid("picklist", "%s has no active values; add values to the picklist first", f.Picklist)
	}
	return nil
}

// UpdateCustomField changes a field's label, purpose, picklist, required
// flag or position, or retires it; admins only.
func (s *Service) UpdateCustomField(ctx context.Context, a *attain.Actor, id, version int64, u attain.CustomFieldUpdate) (*attain.CustomField, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, err
	}
	var f *attain.CustomField
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := tx.FindCustomField(ctx, a.WorkspaceID, id)
		if err != nil {
			return err
		}
		if version != 0 && version != before.Version {
			return attain.Errorf(attain.ESTALE, "Custom field was changed by someone else; reload it and try again.")
		}
		c := *before
		f = &c
		if err := u.Apply(f, tx.Now); err != nil {
			return err
		}
		if f.Picklist != before.Picklist {
			if err := checkFieldPicklist(ctx, tx, a.WorkspaceID, f); err != nil {
				return err
			}
		} else if err := withPicklistOptions(ctx, tx, a.WorkspaceID, []*attain.CustomField{f}); err != nil {
			return err
		}
		if err := tx.UpdateCustomField(ctx, a.WorkspaceID, f, before.Version); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "update", "custom_field", id, before, f)
	})
	return f, err
}

// DeleteCustomField removes a field no record has a value in (deleted
// records included, so a restore never brings back a value of a field that
// no longer exists); a field in use is retired instead. Admins only.
func (s *Service) DeleteCustomField(ctx context.Context, a *attain.Actor, id, version int64) error {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return err
	}
	return s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := tx.FindCustomField(ctx, a.WorkspaceID, id)
		if err != nil {
			return err
		}
		_, filled, err := tx.CustomFieldFill(ctx, a.WorkspaceID, before.EntityType, []string{before.Key}, false)
		if err != nil {
			return err
		}
		if filled[0] > 0 {
			return attain.Errorf(attain.ECONFLICT, "%d %s records have a value in custom.%s; retire the field instead, or clear the values first.",
				filled[0], before.EntityType, before.Key)
		}
		if err := tx.DeleteCustomField(ctx, a.WorkspaceID, id, version); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "delete", "custom_field", id, before, nil)
	})
}

// CustomFieldUsage reports, for each custom field of a kind of record (of
// every kind when entityType is ""), how many live records have it filled,
// so a process owner can remove fields nobody fills. Managers and admins
// only: it is about the process, not about anyone's records.
func (s *Service) CustomFieldUsage(ctx context.Context, a *attain.Actor, entityType string) ([]*attain.CustomFieldUsage, error) {
	if err := a.Require(attain.RoleManager); err != nil {
		return nil, err
	}
	if err := checkCustomEntityType(entityType, true); err != nil {
		return nil, err
	}
	kinds := attain.SalesRecordTypes
	if entityType != "" {
		kinds = []string{entityType}
	}
	var out []*attain.CustomFieldUsage
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		for _, kind := range kinds {
			fs, err := tx.FindCustomFields(ctx, a.WorkspaceID, kind)
			if err != nil {
				return err
			}
			if len(fs) == 0 {
				continue
			}
			keys := make([]string, len(fs))
			for i, f := range fs {
				keys[i] = f.Key
			}
			records, filled, err := tx.CustomFieldFill(ctx, a.WorkspaceID, kind, keys, true)
			if err != nil {
				return err
			}
			for i, f := range fs {
				u := &attain.CustomFieldUsage{Field: f, Filled: filled[i], Records: records}
				if records > 0 {
					u.FillRate = float64(filled[i]) / float64(records)
				}
				out = append(out, u)
			}
		}
		return nil
	})
	return out, err
}

// CheckCustom validates a record's custom values on create (prev nil) or
// update (prev the stored values: pass a non-nil map, empty if the record
// had none, or required fields would be treated as new), inside the
// caller's transaction: every value against its field's
// type (attain.ValidateCustom), picklist values against their lists, user
// values against the workspace's members and references against its
// records. It removes cleared keys (null, "", []) from next in place, so
// the stored object holds only filled values. Call it from every write of
// an account, contact, lead or deal:
//
//	if err := s.CheckCustom(ctx, tx, a, "deal", before.Custom, d.Custom); err != nil {
//		return err
//	}
func (s *Service) CheckCustom(ctx context.Context, tx *store.Tx, a *attain.Actor, entityType string, prev, next map[string]json.RawMessage) error {
	for k, v := range next {
		if attain.CustomEmpty(v) {
			delete(next, k)
		}
	}
	fs, err := tx.FindCustomFields(ctx, a.WorkspaceID, entityType)
	if err != nil {
		return err
	}
	changed := func(k string) bool { return prev == nil || !attain.SameCustomValue(prev[k], next[k]) }
	var lists []*attain.CustomField
	for _, f := range fs {
		if f.Picklist != "" && changed(f.Key) && next[f.Key] != nil {
			lists = append(lists, f)
		}
	}
	if err := withPicklistOptions(ctx, tx, a.WorkspaceID, lists); err != nil {
		return err
	}
	defs := make([]attain.CustomField, len(fs))
	for i, f := range fs {
		defs[i] = *f
	}
	if err := attain.ValidateCustom(defs, next, prev); err != nil {
		return err
	}
	var v attain.Validation
	for _, f := range fs {
		raw, ok := next[f.Key]
		if !ok || !changed(f.Key) {
			continue
		}
		switch f.Type {
		case attain.FieldUser:
			var id int64
			_ = json.Unmarshal(raw, &id) // shape checked by ValidateCustom
			if err := isMember(ctx, tx, a.WorkspaceID, id); err != nil {
				if attain.ErrorCode(err) != attain.ENOTFOUND {
					return err
				}
				v.Add("custom."+f.Key, "user %d is not a member of this workspace", id)
			}
		case attain.FieldReference:
			var ref attain.CustomRef
			_ = json.Unmarshal(raw, &ref)
			if _, err := tx.FindRecordAccess(ctx, a.WorkspaceID, ref.Type, ref.ID); err != nil {
				if attain.ErrorCode(err) != attain.ENOTFOUND {
					return err
				}
				v.Add("custom."+f.Key, "%s %d does not exist", ref.Type, ref.ID)
			}
		}
	}
	return v.Err()
}

// customPrev returns what CheckCustom takes as prev for a record with the
// given id whose stored custom values are before: nil on create (id 0),
// and never nil on update, so required fields are not treated as new.
func customPrev(id int64, before map[string]json.RawMessage) map[string]json.RawMessage {
	if id == 0 {
		return nil
	}
	if before == nil {
		return map[string]json.RawMessage{}
	}
	return before
}
