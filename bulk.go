package attain

import (
	"errors"
	"slices"
)

// MaxBulkIDs is how many records one bulk edit may change.
const MaxBulkIDs = 500

// BulkUpdate changes the owner and, for deals, the stage of many records at
// once. Each record is changed on its own, exactly as a single edit would
// change it (visibility, ownership rules, exit criteria, history), so one
// record that cannot change does not stop the others; BulkResult says what
// happened to each.
type BulkUpdate struct {
	IDs     []int64 `json:"ids"`
	OwnerID *int64  `json:"owner_id,omitempty"`
	// StageID moves deals (only deals) as POST /deals/{id}/move does; the
	// reasons below are passed to each move.
	StageID        *int64 `json:"stage_id,omitempty"`
	OverrideReason string `json:"override_reason,omitempty"`
	Reason         string `json:"reason,omitempty"`
}

// Validate checks the update's shape and drops repeated ids. stages says
// whether the list moves through stages (deals).
func (in *BulkUpdate) Validate(stages bool) error {
	var v Validation
	seen := map[int64]bool{}
	ids := in.IDs[:0:0]
	for _, id := range in.IDs {
		if id <= 0 {
			v.Add("ids", "%d is not a record id", id)
			continue
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	in.IDs = ids
	switch {
	case len(in.IDs) == 0 && v.Err() == nil:
		v.Add("ids", "is required: the ids of the records to change")
	case len(in.IDs) > MaxBulkIDs:
		v.Add("ids", "must list at most %d records; change them in batches", MaxBulkIDs)
	}
	if in.OwnerID != nil && *in.OwnerID <= 0 {
		v.Add("owner_id", "is not a member id")
	}
	if in.StageID != nil && !stages {
		v.Add("stage_id", "only deals move through stages")
	}
	if in.StageID != nil && *in.StageID <= 0 {
		v.Add("stage_id", "is not a stage id")
	}
	if in.OwnerID == nil && in.StageID == nil {
		v.Add("owner_id", "or stage_id is required: say what to change")
	}
	return v.Err()
}

// BulkResult reports a bulk edit record by record, in the order asked.
type BulkResult struct {
	Updated int           `json:"updated"`
	Failed  int           `json:"failed"`
	Items   []BulkOutcome `json:"items"`
}

// BulkOutcome is what happened to one record: changed, or why not, with the
// fields at fault as a single edit would name them (for a move, the unmet
// exit criteria).
type BulkOutcome struct {
	ID      int64        `json:"id"`
	OK      bool         `json:"ok"`
	Version int64        `json:"version,omitempty"`
	Code    string       `json:"code,omitempty"`
	Message string       `json:"message,omitempty"`
	Errors  []FieldError `json:"errors,omitempty"`
}

// Add records the outcome of one record: version after the change, or err.
func (r *BulkResult) Add(id, version int64, err error) {
	o := BulkOutcome{ID: id, OK: err == nil, Version: version}
	if err != nil {
		o.Version = 0
		o.Code, o.Message = ErrorCode(err), ErrorMessage(err)
		var e *Error
		if errors.As(err, &e) {
			o.Errors = slices.Clone(e.Fields)
		}
		r.Failed++
	} else {
		r.Updated++
	}
	r.Items = append(r.Items, o)
}
