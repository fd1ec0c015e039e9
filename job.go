package attain

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// JobStatus is where a background job is in its life.
type JobStatus string

// Job statuses. A job is queued until a worker claims it, running while a
// worker holds its lease, and ends done or failed (its attempts used up, or
// a handler said retrying is pointless).
const (
	JobQueued  JobStatus = "queued"
	JobRunning JobStatus = "running"
	JobDone    JobStatus = "done"
	JobFailed  JobStatus = "failed"
)

// SystemWorkspace is the workspace id of jobs that belong to no workspace,
// such as housekeeping.
const SystemWorkspace int64 = 0

// DefaultMaxAttempts is how often a job is tried when its creator does not say.
const DefaultMaxAttempts = 10

// Job is one unit of background work, kept in the database so it survives
// restarts and is retried when it fails.
type Job struct {
	ID          int64           `json:"id"`
	WorkspaceID int64           `json:"workspace_id"`
	Kind        string          `json:"kind"`
	Payload     json.RawMessage `json:"payload"`
	Status      JobStatus       `json:"status"`
	RunAt       time.Time       `json:"run_at"`
	Attempts    int             `json:"attempts"`
	MaxAttempts int             `json:"max_attempts"`
	// LeaseUntil and LeasedBy say which worker holds a running job and until
	// when; after that the job may be claimed again, so a crashed process's
	// work is retried.
	LeaseUntil *time.Time `json:"lease_until"`
	LeasedBy   string     `json:"leased_by"`
	// LastError is the error of the most recent failed attempt.
	LastError  string     `json:"last_error"`
	UniqueKey  string     `json:"unique_key,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	FinishedAt *time.Time `json:"finished_at"`
}

// NewJob is the input to enqueue a job.
type NewJob struct {
	WorkspaceID int64
	Kind        string
	// Payload is the handler's input as JSON; empty means {}.
	Payload json.RawMessage
	// RunAt delays the job; zero means now.
	RunAt time.Time
	// MaxAttempts bounds the tries; zero means DefaultMaxAttempts.
	MaxAttempts int
	// UniqueKey, when set, keeps a second copy of the job (same workspace,
	// kind and key) from being enqueued while one is queued or running.
	UniqueKey string
}

// Validate checks the input and fills in defaults.
func (j *NewJob) Validate() error {
	var v Validation
	j.Kind = strings.TrimSpace(j.Kind)
	v.Require("kind", j.Kind)
	if len(j.Payload) == 0 {
		j.Payload = json.RawMessage("{}")
	} else if !json.Valid(j.Payload) {
		v.Add("payload", "must be valid JSON")
	}
	switch {
	case j.MaxAttempts == 0:
		j.MaxAttempts = DefaultMaxAttempts
	case j.MaxAttempts < 0:
		v.Add("max_attempts", "must be positive")
	}
	return v.Err()
}

// JobFilter selects jobs; zero fields match everything.
type JobFilter struct {
	Kind   string
	Status JobStatus
	Limit  int
}

// JobSchedule enqueues a job of a kind once per interval.
type JobSchedule struct {
	Name        string          `json:"name"`
	WorkspaceID int64           `json:"workspace_id"`
	Kind        string          `json:"kind"`
	Payload     json.RawMessage `json:"payload"`
	Interval    time.Duration   `json:"interval"`
	NextRunAt   time.Time       `json:"next_run_at"`
	LastRunAt   *time.Time      `json:"last_run_at"`
	// Runs counts the jobs the schedule has enqueued.
	Runs int64 `json:"runs"`
}

// Validate checks a schedule before it is stored.
func (s *JobSchedule) Validate() error {
	var v Validation
	s.Name = strings.TrimSpace(s.Name)
	s.Kind = strings.TrimSpace(s.Kind)
	v.Require("name", s.Name)
	v.Require("kind", s.Kind)
	if len(s.Payload) == 0 {
		s.Payload = json.RawMessage("{}")
	} else if !json.Valid(s.Payload) {
		v.Add("payload", "must be valid JSON")
	}
	if s.Interval < time.Second {
		v.Add("interval", "must be at least a second")
	}
	return v.Err()
}

// JobQueue enqueues background jobs. A caller that must enqueue atomically
// with its own writes uses the store's transaction instead.
type JobQueue interface {
	Enqueue(ctx context.Context, j NewJob) (*Job, error)
}
