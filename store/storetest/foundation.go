package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// RunFoundation is the acceptance suite for the foundation of the store:
// workspaces, users and memberships, teams, sessions, tokens, the audit log,
// optimistic versions and migrations. Every engine must pass it. The subtests
// share db and keep apart by using workspaces and emails of their own; they
// move db.Now and put it back.
func RunFoundation(t *testing.T, db *store.DB) {
	t.Helper()
	t.Run("Workspaces", func(t *testing.T) { testWorkspaces(t, db) })
	t.Run("Users", func(t *testing.T) { testUsers(t, db) })
	t.Run("Teams", func(t *testing.T) { testTeams(t, db) })
	t.Run("TeamsStayInTheirWorkspace", func(t *testing.T) { testTeamsTenancy(t, db) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, db) })
	t.Run("Tokens", func(t *testing.T) { testTokens(t, db) })
	t.Run("LoginAttempts", func(t *testing.T) { testLoginAttempts(t, db) })
	t.Run("Audit", func(t *testing.T) { testAudit(t, db) })
	t.Run("AuditAppendOnly", func(t *testing.T) { testAuditAppendOnly(t, db) })
	t.Run("Versions", func(t *testing.T) { testVersions(t, db) })
	t.Run("Idempotency", func(t *testing.T) { testIdempotency(t, db) })
	t.Run("Transactions", func(t *testing.T) { testTransactions(t, db) })
	t.Run("Migrations", func(t *testing.T) { testMigrations(t, db) })
}

var seq atomic.Int64

// unique returns a name no other subtest uses, since subtests share a database.
func unique(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, time.Now().UnixNano()%1e6, seq.Add(1))
}

// Write runs fn in a write transaction and fails the test on error.
func Write(t testing.TB, db *store.DB, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := db.WriteTx(context.Background(), fn); err != nil {
		t.Fatalf("write: %v", err)
	}
}

// Read runs fn in a read transaction and fails the test on error.
func Read(t testing.TB, db *store.DB, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := db.ReadTx(context.Background(), fn); err != nil {
		t.Fatalf("read: %v", err)
	}
}

// WantCode fails the test unless err carries the domain code want.
func WantCode(t testing.TB, err error, want string) {
	t.Helper()
	if got := attain.ErrorCode(err); got != want {
		t.Fatalf("error = %v (code %q), want code %q", err, got, want)
	}
}

// WantField fails the test unless err is EINVALID naming field.
func WantField(t testing.TB, err error, field string) {
	t.Helper()
	var e *attain.Error
	if !errors.As(err, &e) || e.Code != attain.EINVALID {
		t.Fatalf("error = %v, want invalid %s", err, field)
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error = %v, want field %s named", err, field)
}

// Clock sets db.Now to a fixed time that the returned function moves on,
// and restores the real clock when the test ends.
func Clock(t testing.TB, db *store.DB, start time.Time) (advance func(time.Duration)) {
	t.Helper()
	orig := db.Now
	var now atomic.Int64
	now.Store(start.UnixMicro())
	db.Now = func() time.Time { return time.UnixMicro(now.Load()).UTC() }
	t.Cleanup(func() { db.Now = orig })
	return func(d time.Duration) { now.Add(d.Microseconds()) }
}

// Raw opens a second, plain connection to db's database, for checks that
// must hold "whoever connects" (triggers, constraints).
func Raw(t testing.TB, db *store.DB) *sql.DB {
	t.Helper()
	var raw *sql.DB
	var err error
	if db.Engine() == store.Postgres {
		raw, err = sql.Open("pgx", db.DSN())
	} else {
		raw, err = sql.Open("sqlite", "file:"+strings.TrimPrefix(db.DSN(), "sqlite:")+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)")
	}
	if err != nil {
		t.Fatalf("raw open: %v", err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// NewWorkspace stores a workspace with a unique slug.
func NewWorkspace(t testing.TB, db *store.DB, name string) *attain.Workspace {
	t.Helper()
	w := &attain.Workspace{Name: name, Slug: unique(attain.Slugify(name))}
	Write(t, db, func(tx *store.Tx) error { return tx.CreateWorkspace(context.Background(), w) })
	return w
}

// NewMember stores a user with a unique email and makes them a member of ws.
func NewMember(t testing.TB, db *store.DB, ws *attain.Workspace, name string, role attain.Role) *attain.User {
	t.Helper()
	u := &attain.User{Email: unique(strings.ToLower(strings.ReplaceAll(name, " ", "."))) + "@example.com", Name: name}
	Write(t, db, func(tx *store.Tx) error {
		if _, err := tx.CreateUser(context.Background(), u, "hash"); err != nil {
			return err
		}
		return tx.AddMember(context.Background(), ws.ID, u.ID, role)
	})
	u.Role = role
	return u
}

func testWorkspaces(t *testing.T, db *store.DB) {
	ctx := context.Background()
	w := NewWorkspace(t, db, "Acme")
	if w.ID == 0 || w.CreatedAt.IsZero() {
		t.Fatalf("created workspace = %+v, want id and created_at", w)
	}
	Read(t, db, func(tx *store.Tx) error {
		got, err := tx.FindWorkspaceBySlug(ctx, w.Slug)
		if err != nil {
			return err
		}
		if got.ID != w.ID || got.Name != "Acme" || !got.CreatedAt.Equal(w.CreatedAt) {
			t.Errorf("by slug = %+v, want %+v", got, w)
		}
		got, err = tx.FindWorkspace(ctx, w.ID)
		if err != nil {
			return err
		}
		if got.Slug != w.Slug {
			t.Errorf("by id = %+v", got)
		}
		n, err := tx.CountWorkspaces(ctx)
		if err != nil || n < 1 {
			t.Errorf("CountWorkspaces = %d, %v", n, err)
		}
		first, err := tx.FirstWorkspace(ctx)
		if err != nil || first.ID > w.ID {
			t.Errorf("FirstWorkspace = %+v, %v", first, err)
		}
		_, err = tx.FindWorkspaceBySlug(ctx, "no-such-"+w.Slug)
		WantCode(t, err, attain.ENOTFOUND)
		_, err = tx.FindWorkspace(ctx, w.ID+1_000_000)
		WantCode(t, err, attain.ENOTFOUND)
		return nil
	})
	dup := &attain.Workspace{Name: "Other", Slug: w.Slug}
	err := db.WriteTx(ctx, func(tx *store.Tx) error { return tx.CreateWorkspace(ctx, dup) })
	WantField(t, err, "slug")
}

func testUsers(t *testing.T, db *store.DB) {
	ctx := context.Background()
	a := NewWorkspace(t, db, "Alpha")
	b := NewWorkspace(t, db, "Beta")
	email := unique("ana") + "@example.com"
	u := &attain.User{Email: email, Name: "Ana"}
	Write(t, db, func(tx *store.Tx) error {
		created, err := tx.CreateUser(ctx, u, "hash-1")
		if err != nil {
			return err
		}
		if !created || u.ID == 0 || u.Version != 1 {
			t.Errorf("CreateUser = created %v, %+v", created, u)
		}
		return tx.AddMember(ctx, a.ID, u.ID, attain.RoleAdmin)
	})

	// The same email joins a second workspace as the same person, keeping
	// their name and password, with a role of its own there.
	again := &attain.User{Email: email, Name: "Someone Else"}
	Write(t, db, func(tx *store.Tx) error {
		created, err := tx.CreateUser(ctx, again, "hash-2")
		if err != nil {
			return err
		}
		if created || again.ID != u.ID || again.Name != "Ana" {
			t.Errorf("second CreateUser = created %v, %+v; want the existing user", created, again)
		}
		return tx.AddMember(ctx, b.ID, again.ID, attain.RoleRep)
	})
	Read(t, db, func(tx *store.Tx) error {
		wss, err := tx.FindWorkspacesOfUser(ctx, u.ID)
		if err != nil {
			return err
		}
		if len(wss) != 2 || wss[0].ID != a.ID || wss[1].ID != b.ID {
			t.Errorf("workspaces of user = %v, want Alpha then Beta", wss)
		}
		inA, err := tx.FindMember(ctx, a.ID, u.ID)
		if err != nil {
			return err
		}
		inB, err := tx.FindMember(ctx, b.ID, u.ID)
		if err != nil {
			return err
		}
		if inA.Role != attain.RoleAdmin || inB.Role != attain.RoleRep {
			t.Errorf("roles = %s in Alpha, %s in Beta; want admin, rep", inA.Role, inB.Role)
		}
		got, hash, err := tx.FindUserByEmail(ctx, email)
		if err != nil {
			return err
		}
		if got.ID != u.ID || hash != "hash-1" {
			t.Errorf("by email = %+v, hash %q; want the first password kept", got, hash)
		}
		_, _, err = tx.FindUserByEmail(ctx, "nobody-"+email)
		WantCode(t, err, attain.ENOTFOUND)
		return nil
	})

	// Joining twice is refused, naming the email.
	err := db.WriteTx(ctx, func(tx *store.Tx) error { return tx.AddMember(ctx, a.ID, u.ID, attain.RoleRep) })
	WantField(t, err, "email")

	// A role outside the three is refused by the schema itself.
	zed := NewMember(t, db, b, "Zed", attain.RoleRep)
	err = db.WriteTx(ctx, func(tx *store.Tx) error { return tx.AddMember(ctx, a.ID, zed.ID, "owner") })
	if err == nil {
		t.Error("membership with role owner was stored")
	}

	// Members are listed by name, and only the workspace's own.
	bob := NewMember(t, db, a, "Bob", attain.RoleManager)
	Read(t, db, func(tx *store.Tx) error {
		ms, err := tx.FindMembers(ctx, a.ID)
		if err != nil {
			return err
		}
		var names []string
		for _, m := range ms {
			names = append(names, m.Name)
		}
		if !slices.Equal(names, []string{"Ana", "Bob"}) {
			t.Errorf("members of Alpha = %v, want [Ana Bob]", names)
		}
		_, err = tx.FindMember(ctx, b.ID, bob.ID)
		WantCode(t, err, attain.ENOTFOUND)
		n, err := tx.CountAdmins(ctx, a.ID)
		if err != nil || n != 1 {
			t.Errorf("CountAdmins = %d, %v; want 1", n, err)
		}
		return nil
	})

	// Roles change per workspace.
	Write(t, db, func(tx *store.Tx) error { return tx.SetRole(ctx, b.ID, u.ID, attain.RoleManager) })
	Read(t, db, func(tx *store.Tx) error {
		inA, _ := tx.FindMember(ctx, a.ID, u.ID)
		inB, _ := tx.FindMember(ctx, b.ID, u.ID)
		if inA.Role != attain.RoleAdmin || inB.Role != attain.RoleManager {
			t.Errorf("after SetRole in Beta: %s in Alpha, %s in Beta", inA.Role, inB.Role)
		}
		return nil
	})
	err = db.WriteTx(ctx, func(tx *store.Tx) error { return tx.SetRole(ctx, b.ID, bob.ID, attain.RoleAdmin) })
	WantCode(t, err, attain.ENOTFOUND)

	Write(t, db, func(tx *store.Tx) error { return tx.SetPassword(ctx, u.ID, "hash-3") })
	Read(t, db, func(tx *store.Tx) error {
		_, hash, err := tx.FindUserByEmail(ctx, email)
		if hash != "hash-3" {
			t.Errorf("hash after SetPassword = %q", hash)
		}
		return err
	})
}

func testTeams(t *testing.T, db *store.DB) {
	ctx := context.Background()
	w := NewWorkspace(t, db, "Teams")
	boss := NewMember(t, db, w, "Boss", attain.RoleManager)
	east := NewMember(t, db, w, "East Lead", attain.RoleManager)
	r1 := NewMember(t, db, w, "Rep One", attain.RoleRep)
	r2 := NewMember(t, db, w, "Rep Two", attain.RoleRep)
	r3 := NewMember(t, db, w, "Rep Three", attain.RoleRep)

	var sales, eastTeam, west *attain.Team
	Write(t, db, func(tx *store.Tx) (err error) {
		if sales, err = tx.CreateTeam(ctx, w.ID, attain.TeamInput{Name: "Sales", ManagerID: &boss.ID}); err != nil {
			return err
		}
		if eastTeam, err = tx.CreateTeam(ctx, w.ID, attain.TeamInput{Name: "East", ManagerID: &east.ID, ParentID: &sales.ID,
			MemberIDs: []int64{r2.ID, r1.ID, r1.ID}}); err != nil {
			return err
		}
		west, err = tx.CreateTeam(ctx, w.ID, attain.TeamInput{Name: "West", ParentID: &sales.ID, MemberIDs: []int64{r3.ID}})
		return err
	})
	if eastTeam.Version != 1 || *eastTeam.ParentID != sales.ID || *eastTeam.ManagerID != east.ID {
		t.Errorf("East = %+v", eastTeam)
	}
	if want := []int64{min(r1.ID, r2.ID), max(r1.ID, r2.ID)}; !slices.Equal(eastTeam.MemberIDs, want) {
		t.Errorf("East members = %v, want %v (duplicates dropped)", eastTeam.MemberIDs, want)
	}

	Read(t, db, func(tx *store.Tx) error {
		ts, err := tx.FindTeams(ctx, w.ID)
		if err != nil {
			return err
		}
		var names []string
		for _, tm := range ts {
			names = append(names, tm.Name)
		}
		if !slices.Equal(names, []string{"East", "Sales", "West"}) {
			t.Errorf("teams = %v, want by name", names)
		}
		// The store feeds the visibility rule: the top manager sees the whole
		// branch, a rep only themselves and their team.
		a, err := tx.LoadActor(ctx, w.ID, boss.ID)
		if err != nil {
			return err
		}
		for _, id := range []int64{east.ID, r1.ID, r2.ID, r3.ID} {
			if !a.CanSee(id, 0) {
				t.Errorf("Boss cannot see records of user %d", id)
			}
		}
		a, err = tx.LoadActor(ctx, w.ID, r1.ID)
		if err != nil {
			return err
		}
		if a.CanSee(r2.ID, 0) || !a.CanSee(r2.ID, eastTeam.ID) || a.CanSee(r3.ID, west.ID) {
			t.Errorf("Rep One's actor = %+v", a)
		}
		_, err = tx.LoadActor(ctx, w.ID+1_000_000, r1.ID)
		WantCode(t, err, attain.ENOTFOUND)
		return nil
	})

	// Names are unique regardless of case.
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.CreateTeam(ctx, w.ID, attain.TeamInput{Name: "EAST"})
		return err
	})
	WantField(t, err, "name")

	// Update replaces the members.
	Write(t, db, func(tx *store.Tx) (err error) {
		eastTeam, err = tx.UpdateTeam(ctx, w.ID, eastTeam.ID, eastTeam.Version, attain.TeamInput{Name: "East Coast", ManagerID: &east.ID, ParentID: &sales.ID, MemberIDs: []int64{r3.ID}})
		return err
	})
	if eastTeam.Name != "East Coast" || eastTeam.Version != 2 || !slices.Equal(eastTeam.MemberIDs, []int64{r3.ID}) {
		t.Errorf("updated East = %+v", eastTeam)
	}

	// A team with sub-teams cannot go; a leaf can, with its memberships.
	err = db.WriteTx(ctx, func(tx *store.Tx) error { return tx.DeleteTeam(ctx, w.ID, sales.ID, 0) })
	WantCode(t, err, attain.ECONFLICT)
	Write(t, db, func(tx *store.Tx) error { return tx.DeleteTeam(ctx, w.ID, eastTeam.ID, eastTeam.Version) })
	Read(t, db, func(tx *store.Tx) error {
		_, err := tx.FindTeam(ctx, w.ID, eastTeam.ID)
		WantCode(t, err, attain.ENOTFOUND)
		return nil
	})
	Write(t, db, func(tx *store.Tx) (err error) {
		// The freed name can be used again.
		_, err = tx.CreateTeam(ctx, w.ID, attain.TeamInput{Name: "east coast"})
		return err
	})
}

// testTeamsTenancy checks that the schema itself keeps a team's references
// inside its workspace, whatever the service forgets to check.
func testTeamsTenancy(t *testing.T, db *store.DB) {
	ctx := context.Background()
	a := NewWorkspace(t, db, "Tenant A")
	b := NewWorkspace(t, db, "Tenant B")
	outsider := NewMember(t, db, b, "Outsider", attain.RoleManager)
	var bTeam *attain.Team
	Write(t, db, func(tx *store.Tx) (err error) {
		bTeam, err = tx.CreateTeam(ctx, b.ID, attain.TeamInput{Name: "B Team"})
		return err
	})
	tests := []struct {
		name string
		in   attain.TeamInput
	}{
		{"manager from another workspace", attain.TeamInput{Name: "x1", ManagerID: &outsider.ID}},
		{"parent from another workspace", attain.TeamInput{Name: "x2", ParentID: &bTeam.ID}},
		{"member from another workspace", attain.TeamInput{Name: "x3", MemberIDs: []int64{outsider.ID}}},
	}
	for _, tt := range tests {
		err := db.WriteTx(ctx, func(tx *store.Tx) error {
			_, err := tx.CreateTeam(ctx, a.ID, tt.in)
			return err
		})
		if code := attain.ErrorCode(err); code != attain.EINVALID {
			t.Errorf("%s: error = %v (%s), want invalid", tt.name, err, code)
		}
	}
	Read(t, db, func(tx *store.Tx) error {
		ts, err := tx.FindTeams(ctx, a.ID)
		if len(ts) != 0 {
			t.Errorf("teams of A = %v, want none", ts)
		}
		_, err2 := tx.FindTeam(ctx, a.ID, bTeam.ID)
		WantCode(t, err2, attain.ENOTFOUND)
		return err
	})
	// Nor can B's team be changed or deleted through A.
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.UpdateTeam(ctx, a.ID, bTeam.ID, 0, attain.TeamInput{Name: "hijacked"})
		return err
	})
	WantCode(t, err, attain.ENOTFOUND)
	err = db.WriteTx(ctx, func(tx *store.Tx) error { return tx.DeleteTeam(ctx, a.ID, bTeam.ID, 0) })
	WantCode(t, err, attain.ENOTFOUND)
}

func testSessions(t *testing.T, db *store.DB) {
	ctx := context.Background()
	start := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	advance := Clock(t, db, start)
	w := NewWorkspace(t, db, "Sessions")
	u := NewMember(t, db, w, "Sid", attain.RoleRep)
	hash := unique("session-hash")
	s := &attain.Session{UserID: u.ID, WorkspaceID: w.ID, CreatedAt: start, ExpiresAt: start.Add(time.Hour)}
	Write(t, db, func(tx *store.Tx) error { return tx.CreateSession(ctx, hash, s) })
	find := func() (*attain.Session, error) {
		var got *attain.Session
		err := db.ReadTx(ctx, func(tx *store.Tx) (err error) {
			got, err = tx.FindSession(ctx, hash)
			return err
		})
		return got, err
	}
	got, err := find()
	if err != nil {
		t.Fatal(err)
	}
	if got.UserID != u.ID || got.WorkspaceID != w.ID || !got.ExpiresAt.Equal(s.ExpiresAt) {
		t.Errorf("session = %+v", got)
	}
	advance(59 * time.Minute)
	if _, err := find(); err != nil {
		t.Errorf("a minute before expiry: %v", err)
	}
	advance(time.Minute)
	_, err = find()
	WantCode(t, err, attain.ENOTFOUND)

	Write(t, db, func(tx *store.Tx) error {
		n, err := tx.DeleteExpiredSessions(ctx)
		if n < 1 {
			t.Errorf("DeleteExpiredSessions = %d, want at least 1", n)
		}
		return err
	})
	// A live session ends when deleted.
	hash2 := unique("session-hash")
	Write(t, db, func(tx *store.Tx) error {
		return tx.CreateSession(ctx, hash2, &attain.Session{UserID: u.ID, WorkspaceID: w.ID, CreatedAt: tx.Now, ExpiresAt: tx.Now.Add(time.Hour)})
	})
	Write(t, db, func(tx *store.Tx) error { return tx.DeleteSession(ctx, hash2) })
	err = db.ReadTx(ctx, func(tx *store.Tx) error {
		_, err := tx.FindSession(ctx, hash2)
		return err
	})
	WantCode(t, err, attain.ENOTFOUND)
}

func testTokens(t *testing.T, db *store.DB) {
	ctx := context.Background()
	start := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	advance := Clock(t, db, start)
	w := NewWorkspace(t, db, "Tokens")
	other := NewWorkspace(t, db, "Tokens Other")
	u := NewMember(t, db, w, "Tia", attain.RoleRep)
	v := NewMember(t, db, w, "Val", attain.RoleRep)
	inHour := start.Add(time.Hour)
	// An expiry written with another offset is the same instant; SQLite
	// compares timestamps as text, so the store must normalise it.
	zoned := start.Add(2 * time.Hour).In(time.FixedZone("", -12*3600))

	mk := func(userID int64, name string, expires *time.Time) (*attain.APIToken, string) {
		tok := &attain.APIToken{UserID: userID, Name: name, Prefix: "atn_abc", ExpiresAt: expires}
		hash := unique("token-hash-" + name)
		Write(t, db, func(tx *store.Tx) error { return tx.CreateToken(ctx, w.ID, tok, hash) })
		if tok.ID == 0 {
			t.Fatalf("token %s has no id", name)
		}
		return tok, hash
	}
	forever, foreverHash := mk(u.ID, "forever", nil)
	_, hourlyHash := mk(u.ID, "hourly", &inHour)
	_, zonedHash := mk(u.ID, "zoned", &zoned)
	theirs, _ := mk(v.ID, "theirs", nil)

	lookup := func(hash string) (*attain.APIToken, int64, error) {
		var tok *attain.APIToken
		var ws int64
		err := db.ReadTx(ctx, func(tx *store.Tx) (err error) {
			tok, ws, err = tx.FindTokenByHash(ctx, hash)
			return err
		})
		return tok, ws, err
	}
	got, ws, err := lookup(foreverHash)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != forever.ID || ws != w.ID || got.UserID != u.ID || got.Name != "forever" {
		t.Errorf("by hash = %+v in workspace %d", got, ws)
	}
	if _, _, err := lookup("no-such-hash"); attain.ErrorCode(err) != attain.ENOTFOUND {
		t.Errorf("unknown hash: %v", err)
	}
	if _, _, err := lookup(zonedHash); err != nil {
		t.Errorf("token expiring in two hours, written at offset -12:00, refused: %v", err)
	}

	// Expired tokens are refused.
	advance(time.Hour)
	if _, _, err := lookup(hourlyHash); attain.ErrorCode(err) != attain.ENOTFOUND {
		t.Errorf("expired token: %v", err)
	}
	if _, _, err := lookup(zonedHash); err != nil {
		t.Errorf("zoned token an hour before expiry: %v", err)
	}
	advance(time.Hour)
	if _, _, err := lookup(zonedHash); attain.ErrorCode(err) != attain.ENOTFOUND {
		t.Errorf("expired zoned token: %v", err)
	}

	// Only the owner revokes, in their workspace, once; then it is refused.
	err = db.WriteTx(ctx, func(tx *store.Tx) error { return tx.RevokeToken(ctx, w.ID, u.ID, theirs.ID) })
	WantCode(t, err, attain.ENOTFOUND)
	err = db.WriteTx(ctx, func(tx *store.Tx) error { return tx.RevokeToken(ctx, other.ID, u.ID, forever.ID) })
	WantCode(t, err, attain.ENOTFOUND)
	Write(t, db, func(tx *store.Tx) error { return tx.RevokeToken(ctx, w.ID, u.ID, forever.ID) })
	err = db.WriteTx(ctx, func(tx *store.Tx) error { return tx.RevokeToken(ctx, w.ID, u.ID, forever.ID) })
	WantCode(t, err, attain.ENOTFOUND)
	if _, _, err := lookup(foreverHash); attain.ErrorCode(err) != attain.ENOTFOUND {
		t.Errorf("revoked token: %v", err)
	}

	// Listing shows the user's own tokens, newest first, revoked ones too.
	Read(t, db, func(tx *store.Tx) error {
		ts, err := tx.FindTokens(ctx, w.ID, u.ID)
		if err != nil {
			return err
		}
		var names []string
		for _, tk := range ts {
			names = append(names, tk.Name)
		}
		if !slices.Equal(names, []string{"zoned", "hourly", "forever"}) {
			t.Errorf("tokens = %v", names)
		}
		if ts[2].RevokedAt == nil || !ts[2].RevokedAt.Equal(start.Add(2*time.Hour)) {
			t.Errorf("revoked_at = %v", ts[2].RevokedAt)
		}
		if ts[1].ExpiresAt == nil || !ts[1].ExpiresAt.Equal(inHour) {
			t.Errorf("expires_at = %v, want %v", ts[1].ExpiresAt, inHour)
		}
		ts, err = tx.FindTokens(ctx, other.ID, u.ID)
		if len(ts) != 0 {
			t.Errorf("tokens in another workspace = %v", ts)
		}
		return err
	})

	// Use is recorded at most once a minute.
	_, theirsHash := mk(v.ID, "touched", nil)
	touched, _, _ := lookup(theirsHash)
	lastUsed := func() *time.Time {
		tk, _, err := lookup(theirsHash)
		if err != nil {
			t.Fatal(err)
		}
		return tk.LastUsedAt
	}
	Write(t, db, func(tx *store.Tx) error { return tx.TouchToken(ctx, w.ID, touched.ID) })
	first := lastUsed()
	if first == nil || !first.Equal(db.Now()) {
		t.Fatalf("last_used_at = %v, want %v", first, db.Now())
	}
	advance(30 * time.Second)
	Write(t, db, func(tx *store.Tx) error { return tx.TouchToken(ctx, w.ID, touched.ID) })
	if got := lastUsed(); !got.Equal(*first) {
		t.Errorf("touched again after 30s: last_used_at = %v", got)
	}
	advance(31 * time.Second)
	Write(t, db, func(tx *store.Tx) error { return tx.TouchToken(ctx, w.ID, touched.ID) })
	if got := lastUsed(); !got.Equal(db.Now()) {
		t.Errorf("after a minute: last_used_at = %v, want %v", got, db.Now())
	}
}

func testLoginAttempts(t *testing.T, db *store.DB) {
	ctx := context.Background()
	start := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	advance := Clock(t, db, start)
	email, addr := unique("eve")+"@example.com", unique("10.0.0")
	for range 3 {
		Write(t, db, func(tx *store.Tx) error { return tx.RecordFailedLogin(ctx, email, addr) })
		advance(time.Minute)
	}
	Write(t, db, func(tx *store.Tx) error { return tx.RecordFailedLogin(ctx, "x"+email, addr) })
	count := func(since time.Time) (int, int) {
		var e, a int
		Read(t, db, func(tx *store.Tx) (err error) {
			e, a, err = tx.CountFailedLogins(ctx, email, addr, since)
			return err
		})
		return e, a
	}
	if e, a := count(start.Add(-time.Second)); e != 3 || a != 4 {
		t.Errorf("failures = %d by email, %d by address; want 3, 4", e, a)
	}
	if e, _ := count(start.Add(90 * time.Second)); e != 1 {
		t.Errorf("failures in the window = %d, want 1", e)
	}
	Write(t, db, func(tx *store.Tx) error { return tx.ClearFailedLogins(ctx, email) })
	if e, a := count(start.Add(-time.Second)); e != 0 || a != 1 {
		t.Errorf("after clear = %d, %d; want 0, 1", e, a)
	}
}

func testAudit(t *testing.T, db *store.DB) {
	ctx := context.Background()
	w := NewWorkspace(t, db, "Audit")
	other := NewWorkspace(t, db, "Audit Other")
	u := NewMember(t, db, w, "Aud", attain.RoleAdmin)
	a := &attain.Actor{UserID: u.ID, WorkspaceID: w.ID, Role: attain.RoleAdmin, RequestID: "req-1"}
	Write(t, db, func(tx *store.Tx) error {
		for i := range 5 {
			if err := tx.Audit(ctx, a, "update", "thing", int64(i%2+1), map[string]int{"n": i}, map[string]int{"n": i + 1}); err != nil {
				return err
			}
		}
		if err := tx.Audit(ctx, attain.SystemActor(w.ID), "create", "other", 9, nil, nil); err != nil {
			return err
		}
		return tx.Audit(ctx, &attain.Actor{UserID: u.ID, WorkspaceID: other.ID}, "create", "thing", 1, nil, nil)
	})
	find := func(f attain.AuditFilter) ([]*attain.AuditEntry, string) {
		var es []*attain.AuditEntry
		var next string
		Read(t, db, func(tx *store.Tx) (err error) {
			es, next, err = tx.FindAudit(ctx, w.ID, f)
			return err
		})
		return es, next
	}
	all, next := find(attain.AuditFilter{})
	if len(all) != 6 || next != "" {
		t.Fatalf("entries = %d, next %q; want 6 from this workspace only", len(all), next)
	}
	if all[0].EntityType != "other" || all[0].ActorID != nil || all[0].Before != nil {
		t.Errorf("newest = %+v, want the system entry first, with no actor and no before", all[0])
	}
	e := all[1]
	if e.ActorID == nil || *e.ActorID != u.ID || e.RequestID != "req-1" || e.Action != "update" || string(e.After) != `{"n":5}` || string(e.Before) != `{"n":4}` {
		t.Errorf("entry = %+v (before %s, after %s)", e, e.Before, e.After)
	}
	if es, _ := find(attain.AuditFilter{EntityType: "thing", EntityID: 2}); len(es) != 2 {
		t.Errorf("thing 2 has %d entries, want 2", len(es))
	}
	if es, _ := find(attain.AuditFilter{ActorID: u.ID}); len(es) != 5 {
		t.Errorf("by actor: %d entries, want 5", len(es))
	}
	// Paging walks every entry once, newest first.
	var seen []int64
	cursor := ""
	for range 10 {
		es, next := find(attain.AuditFilter{Page: attain.Page{Limit: 4, Cursor: cursor}})
		for _, e := range es {
			seen = append(seen, e.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if len(seen) != 6 || !slices.IsSortedFunc(seen, func(a, b int64) int { return int(b - a) }) {
		t.Errorf("paged ids = %v, want 6 descending", seen)
	}
	err := db.ReadTx(ctx, func(tx *store.Tx) error {
		_, _, err := tx.FindAudit(ctx, w.ID, attain.AuditFilter{Page: attain.Page{Cursor: "garbage"}})
		return err
	})
	WantField(t, err, "cursor")
}

func testAuditAppendOnly(t *testing.T, db *store.DB) {
	ctx := context.Background()
	w := NewWorkspace(t, db, "Append Only")
	Write(t, db, func(tx *store.Tx) error {
		return tx.Audit(ctx, attain.SystemActor(w.ID), "create", "thing", 1, nil, map[string]string{"k": "v"})
	})
	raw := Raw(t, db)
	for _, q := range []string{
		`UPDATE audit_log SET action = 'forged' WHERE workspace_id = $1`,
		`UPDATE audit_log SET after = NULL WHERE workspace_id = $1`,
		`DELETE FROM audit_log WHERE workspace_id = $1`,
	} {
		if _, err := raw.ExecContext(ctx, q, w.ID); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: error = %v, want the append-only refusal", q, err)
		}
	}
	// Emptying the whole table: PostgreSQL's TRUNCATE skips row triggers,
	// and SQLite's unconditional DELETE is its truncate.
	truncate := `DELETE FROM audit_log`
	if db.Engine() == store.Postgres {
		truncate = `TRUNCATE audit_log`
	}
	if _, err := raw.ExecContext(ctx, truncate); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("%s: error = %v, want the append-only refusal", truncate, err)
	}
	var action, after string
	if err := raw.QueryRowContext(ctx, `SELECT action, after FROM audit_log WHERE workspace_id = $1`, w.ID).Scan(&action, &after); err != nil {
		t.Fatal(err)
	}
	if action != "create" || after != `{"k":"v"}` {
		t.Errorf("entry now %s %s", action, after)
	}
}

func testVersions(t *testing.T, db *store.DB) {
	ctx := context.Background()
	w := NewWorkspace(t, db, "Versions")
	u := NewMember(t, db, w, "Vera", attain.RoleRep)
	Write(t, db, func(tx *store.Tx) error { return tx.UpdateUserName(ctx, u.ID, 1, "Vera Two") })
	err := db.WriteTx(ctx, func(tx *store.Tx) error { return tx.UpdateUserName(ctx, u.ID, 1, "Stale") })
	WantCode(t, err, attain.ESTALE)
	err = db.WriteTx(ctx, func(tx *store.Tx) error { return tx.UpdateUserName(ctx, u.ID+1_000_000, 1, "Ghost") })
	WantCode(t, err, attain.ENOTFOUND)
	Write(t, db, func(tx *store.Tx) error { return tx.TouchUser(ctx, u.ID) })
	Read(t, db, func(tx *store.Tx) error {
		got, err := tx.FindMember(ctx, w.ID, u.ID)
		if got.Name != "Vera Two" || got.Version != 3 {
			t.Errorf("user = %+v, want Vera Two at version 3", got)
		}
		return err
	})
	// Version 0 means "whatever is current".
	Write(t, db, func(tx *store.Tx) error { return tx.UpdateUserName(ctx, u.ID, 0, "Vera Three") })

	var tm *attain.Team
	Write(t, db, func(tx *store.Tx) (err error) {
		tm, err = tx.CreateTeam(ctx, w.ID, attain.TeamInput{Name: "V"})
		return err
	})
	Write(t, db, func(tx *store.Tx) (err error) {
		_, err = tx.UpdateTeam(ctx, w.ID, tm.ID, 1, attain.TeamInput{Name: "V2"})
		return err
	})
	err = db.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.UpdateTeam(ctx, w.ID, tm.ID, 1, attain.TeamInput{Name: "V3"})
		return err
	})
	WantCode(t, err, attain.ESTALE)
	err = db.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.UpdateTeam(ctx, w.ID, tm.ID+1_000_000, 1, attain.TeamInput{Name: "V3"})
		return err
	})
	WantCode(t, err, attain.ENOTFOUND)
	err = db.WriteTx(ctx, func(tx *store.Tx) error { return tx.DeleteTeam(ctx, w.ID, tm.ID, 1) })
	WantCode(t, err, attain.ESTALE)
	err = db.WriteTx(ctx, func(tx *store.Tx) error { return tx.DeleteTeam(ctx, w.ID, tm.ID+1_000_000, 0) })
	WantCode(t, err, attain.ENOTFOUND)
	Write(t, db, func(tx *store.Tx) error { return tx.DeleteTeam(ctx, w.ID, tm.ID, 2) })
}

func testIdempotency(t *testing.T, db *store.DB) {
	ctx := context.Background()
	start := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	advance := Clock(t, db, start)
	w := NewWorkspace(t, db, "Idem")
	u := NewMember(t, db, w, "Ida", attain.RoleRep)
	key := unique("key")
	Read(t, db, func(tx *store.Tx) error {
		got, err := tx.FindIdempotent(ctx, w.ID, u.ID, key)
		if got != nil {
			t.Errorf("unknown key = %+v", got)
		}
		return err
	})
	resp := store.IdempotentResponse{RequestHash: "h", Status: 201, Body: []byte(`{"id":1}`)}
	Write(t, db, func(tx *store.Tx) error { return tx.SaveIdempotent(ctx, w.ID, u.ID, key, resp) })
	err := db.WriteTx(ctx, func(tx *store.Tx) error { return tx.SaveIdempotent(ctx, w.ID, u.ID, key, resp) })
	WantCode(t, err, attain.ECONFLICT)
	Read(t, db, func(tx *store.Tx) error {
		got, err := tx.FindIdempotent(ctx, w.ID, u.ID, key)
		if got == nil || got.Status != 201 || string(got.Body) != `{"id":1}` || got.RequestHash != "h" {
			t.Errorf("stored = %+v", got)
		}
		// Keys belong to one user.
		if other, _ := tx.FindIdempotent(ctx, w.ID, u.ID+1, key); other != nil {
			t.Errorf("another user's key = %+v", other)
		}
		return err
	})
	// A claim (status 0) is completed with the answer, or deleted.
	claim := unique("claim")
	Write(t, db, func(tx *store.Tx) error {
		return tx.SaveIdempotent(ctx, w.ID, u.ID, claim, store.IdempotentResponse{RequestHash: "c"})
	})
	Write(t, db, func(tx *store.Tx) error {
		return tx.CompleteIdempotent(ctx, w.ID, u.ID, claim, 201, []byte(`{"id":2}`))
	})
	Read(t, db, func(tx *store.Tx) error {
		got, err := tx.FindIdempotent(ctx, w.ID, u.ID, claim)
		if got == nil || got.Status != 201 || string(got.Body) != `{"id":2}` || !got.CreatedAt.Equal(start) {
			t.Errorf("completed claim = %+v", got)
		}
		return err
	})
	Write(t, db, func(tx *store.Tx) error { return tx.DeleteIdempotent(ctx, w.ID, u.ID, claim) })
	Read(t, db, func(tx *store.Tx) error {
		got, err := tx.FindIdempotent(ctx, w.ID, u.ID, claim)
		if got != nil {
			t.Errorf("deleted claim = %+v", got)
		}
		return err
	})
	advance(25 * time.Hour)
	Write(t, db, func(tx *store.Tx) error {
		n, err := tx.DeleteIdempotentBefore(ctx, tx.Now.Add(-24*time.Hour))
		if n < 1 {
			t.Errorf("DeleteIdempotentBefore = %d", n)
		}
		return err
	})
}

func testTransactions(t *testing.T, db *store.DB) {
	ctx := context.Background()
	w := NewWorkspace(t, db, "Tx")
	u := NewMember(t, db, w, "Tom", attain.RoleRep)
	boom := errors.New("boom")
	// A failing transaction leaves nothing behind, audit entry included.
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := tx.UpdateUserName(ctx, u.ID, 0, "Changed"); err != nil {
			return err
		}
		if err := tx.Audit(ctx, attain.SystemActor(w.ID), "update", "user", u.ID, nil, nil); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error = %v, want boom", err)
	}
	Read(t, db, func(tx *store.Tx) error {
		got, err := tx.FindMember(ctx, w.ID, u.ID)
		if got.Name != "Tom" {
			t.Errorf("name after rollback = %q", got.Name)
		}
		es, _, _ := tx.FindAudit(ctx, w.ID, attain.AuditFilter{})
		if len(es) != 0 {
			t.Errorf("audit after rollback = %d entries", len(es))
		}
		return err
	})
	// One transaction has one time.
	Write(t, db, func(tx *store.Tx) error {
		now := tx.Now
		time.Sleep(2 * time.Millisecond)
		if !tx.Now.Equal(now) || tx.Now.Location() != time.UTC {
			t.Errorf("tx.Now moved or is not UTC: %v", tx.Now)
		}
		return nil
	})
}

func testMigrations(t *testing.T, db *store.DB) {
	ctx := context.Background()
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if err := db.CheckSchema(ctx); err != nil {
		t.Fatalf("CheckSchema after Migrate: %v", err)
	}
	cur, latest, err := db.MigrationStatus(ctx)
	if err != nil || cur != latest || latest < 1 {
		t.Errorf("MigrationStatus = %d, %d, %v", cur, latest, err)
	}
	// A database that was never migrated is refused, with the way out.
	fresh, err := store.Open(ctx, DSN(t, db.Engine()))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if err := fresh.CheckSchema(ctx); err == nil || !strings.Contains(err.Error(), "attain migrate") {
		t.Errorf("CheckSchema on an empty database = %v, want a refusal naming `attain migrate`", err)
	}
	if err := fresh.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := fresh.Migrate(ctx); err != nil {
		t.Fatalf("Migrate twice: %v", err)
	}
	if err := fresh.CheckSchema(ctx); err != nil {
		t.Errorf("CheckSchema: %v", err)
	}
	// Nor does an older binary run on a newer schema.
	if _, err := Raw(t, fresh).ExecContext(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)`, latest+1); err != nil {
		t.Fatal(err)
	}
	if err := fresh.CheckSchema(ctx); err == nil {
		t.Error("CheckSchema accepted a schema newer than the binary")
	}
}
