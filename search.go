package attain

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Search limits.
const (
	DefaultSearchLimit = 20
	MaxSearchLimit     = MaxPageSize
	// MaxSearchLength bounds what may be typed into search, in characters.
	MaxSearchLength = 200
	// MaxSearchTerms and MaxSearchTermLength bound the words searched for;
	// longer input is cut, never refused.
	MaxSearchTerms      = 8
	MaxSearchTermLength = 64
)

// SearchQuery asks for the sales records (accounts, contacts, leads, deals)
// matching what a user typed.
type SearchQuery struct {
	Q string
	// Types limits the search to these record types (SalesRecordTypes);
	// empty searches all of them.
	Types []string
	// Limit is the most results returned; 0 means DefaultSearchLimit.
	Limit int
}

// Validate checks and normalises the query: q is required and bounded, the
// types must be record types, the limit within range.
func (q *SearchQuery) Validate() error {
	var v Validation
	q.Q = strings.TrimSpace(q.Q)
	switch {
	case q.Q == "":
		v.Add("q", "is required")
	case utf8.RuneCountInString(q.Q) > MaxSearchLength:
		v.Add("q", "must be at most %d characters", MaxSearchLength)
	}
	var types []string
	for _, t := range q.Types {
		t = strings.TrimSpace(t)
		switch {
		case t == "" || slices.Contains(types, t):
		case !IsSalesRecordType(t):
			v.Add("types", "%q is not one of %s", t, strings.Join(SalesRecordTypes, ", "))
		default:
			types = append(types, t)
		}
	}
	q.Types = types
	switch {
	case q.Limit == 0:
		q.Limit = DefaultSearchLimit
	case q.Limit < 1 || q.Limit > MaxSearchLimit:
		v.Add("limit", "must be a whole number from 1 to %d", MaxSearchLimit)
	}
	return v.Err()
}

// Searches reports whether the query includes records of type t.
func (q *SearchQuery) Searches(t string) bool {
	return len(q.Types) == 0 || slices.Contains(q.Types, t)
}

// SearchResult is one record found: enough to show it in a list and open it.
type SearchResult struct {
	Type     string `json:"type"` // account, contact, lead or deal
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Subtitle string `json:"subtitle"`
	OwnerID  int64  `json:"owner_id"`
	// Score is the relevance from 0 to 1: 1 for an exact email or domain
	// match, less for a full-text match. Comparable within one response.
	Score float64 `json:"score"`
}

// SearchService finds sales records across types.
type SearchService interface {
	// Search returns the records the actor may see that match, best first.
	Search(ctx context.Context, a *Actor, q SearchQuery) ([]*SearchResult, error)
}

// SearchTerms splits what a user typed into the words to look for: runs of
// letters, digits and combining marks. Everything else (quotes, *, -,
// parentheses, @, dots) only separates words, so no input ever becomes
// search-engine syntax; the store quotes each word and matches the last as a
// prefix. At most MaxSearchTerms words of at most MaxSearchTermLength
// characters are kept.
func SearchTerms(q string) []string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !isTermRune(r) })
	if len(words) > MaxSearchTerms {
		words = words[:MaxSearchTerms]
	}
	for i, w := range words {
		if utf8.RuneCountInString(w) > MaxSearchTermLength {
			words[i] = string([]rune(w)[:MaxSearchTermLength])
		}
	}
	return words
}

// isTermRune reports whether r belongs to a word, as SQLite's unicode61
// tokenizer sees it (letters and numbers), plus combining marks so an accent
// typed as a separate code point stays on its letter.
func isTermRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r))
}
