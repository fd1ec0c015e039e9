// Package attain is the domain of the Attain CRM: its types, rules and service
// interfaces. It imports nothing of ours and does no I/O.
package attain

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. Every error that leaves a service carries one of these, and the
// API maps each to exactly one HTTP status and problem type.
const (
	EINVALID         = "invalid"           // the input breaks a rule; Fields says which
	EUNAUTHENTICATED = "unauthenticated"   // no valid credentials
	EFORBIDDEN       = "forbidden"         // authenticated, but not allowed
	ENOTFOUND        = "not_found"         // no such thing visible to the caller
	ECONFLICT        = "conflict"          // clashes with existing state (duplicate, in use)
	ESTALE           = "stale"             // If-Match named an older version
	ETOOMANY         = "too_many_requests" // rate limited
	EINTERNAL        = "internal"          // a bug or an outage; never shown raw
)

// Error is the domain error: a code, a message safe to show to the user, and
// for EINVALID the fields at fault.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

// FieldError names one offending input field and why it was refused.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error returns the message, with field details for validation errors.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err; internal errors get a
// generic message so nothing internal leaks.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// Validation collects field errors so a caller can report all of them at once.
type Validation struct {
	fields []FieldError
}

// Add records that field is invalid for the given reason.
func (v *Validation) Add(field, format string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Require records field as missing when value is blank.
func (v *Validation) Require(field, value string) {
	if strings.TrimSpace(value) == "" {
		v.Add(field, "is required")
	}
}

// Err returns an EINVALID *Error listing every recorded field, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "Some fields are invalid.", Fields: v.fields}
}

// Invalid returns an EINVALID error about a single field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Message: "Some fields are invalid.",
		Fields: []FieldError{{Field: field, Message: fmt.Sprintf(format, args...)}}}
}
