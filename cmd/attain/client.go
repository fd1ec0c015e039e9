package main

// The API client behind the commands that work on a running server (deals,
// accounts, contacts, leads, search, log, task): a personal API token sent
// as a bearer token, problem+json errors shown field by field, and a small
// config file written by `attain login`.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/attain-crm/attain"
)

// problemError is an RFC 9457 problem the server answered with.
type problemError struct {
	Status    int                 `json:"status"`
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Detail    string              `json:"detail"`
	RequestID string              `json:"request_id"`
	Errors    []attain.FieldError `json:"errors"`
}

// Error reads as the server's title, then one line per field at fault, so
// a person (or a script reading stderr) sees exactly what to fix.
func (p *problemError) Error() string {
	var b strings.Builder
	b.WriteString(p.Title)
	if b.Len() == 0 {
		b.WriteString(http.StatusText(p.Status))
	}
	if p.Detail != "" && p.Detail != p.Title {
		b.WriteString(" " + p.Detail)
	}
	fmt.Fprintf(&b, " (HTTP %d", p.Status)
	if p.Status >= 500 && p.RequestID != "" {
		fmt.Fprintf(&b, ", request id %s", p.RequestID)
	}
	b.WriteString(")")
	for _, f := range p.Errors {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
	}
	return b.String()
}

// apiClient talks to an Attain server with a personal API token.
type apiClient struct {
	base  string // scheme://host[:port], no trailing slash
	token string
	hc    *http.Client
}

// do sends a request with an optional JSON body and decodes a JSON answer
// into out (when not nil). Headers in hdr are added. Non-2xx answers become
// a *problemError.
func (c *apiClient) do(ctx context.Context, method, path string, query url.Values, body any, hdr http.Header, out any) (http.Header, error) {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, vs := range hdr {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot reach the Attain server at %s: %w", c.base, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if res.StatusCode >= 300 {
		p := &problemError{Status: res.StatusCode}
		if json.Unmarshal(data, p) != nil || p.Title == "" {
			p.Title = strings.TrimSpace(string(data))
			if len(p.Title) > 200 || p.Title == "" {
				p.Title = http.StatusText(res.StatusCode)
			}
		}
		if res.StatusCode == http.StatusUnauthorized {
			p.Title += " Check --token (ATTAIN_TOKEN), or run attain login."
		}
		return res.Header, p
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return nil, fmt.Errorf("%s %s: unexpected answer: %w", method, path, err)
		}
	}
	return res.Header, nil
}

func (c *apiClient) get(ctx context.Context, path string, query url.Values, out any) (http.Header, error) {
	return c.do(ctx, "GET", path, query, nil, nil, out)
}

// patch reads the record at path for its ETag, then sends the change with
// If-Match, so a concurrent edit is refused rather than overwritten.
func (c *apiClient) patch(ctx context.Context, path string, body, out any) error {
	h, err := c.get(ctx, path, nil, nil)
	if err != nil {
		return err
	}
	_, err = c.do(ctx, "PATCH", path, nil, body, http.Header{"If-Match": {h.Get("ETag")}}, out)
	return err
}

// clientConfig is what `attain login` saves.
type clientConfig struct {
	Server  string `json:"server"`
	Token   string `json:"token"`
	TokenID int64  `json:"token_id,omitempty"`
	Email   string `json:"email,omitempty"`
}

// configPath is where the client config lives: ATTAIN_CONFIG, else
// attain/config.json in the user's config directory.
func configPath(e *env) string {
	if p := e.getenv("ATTAIN_CONFIG"); p != "" {
		return p
	}
	dir := e.getenv("XDG_CONFIG_HOME")
	if dir == "" {
		if home := e.getenv("HOME"); home != "" {
			dir = filepath.Join(home, ".config")
		} else if d, err := os.UserConfigDir(); err == nil {
			dir = d
		}
	}
	return filepath.Join(dir, "attain", "config.json")
}

func loadConfig(e *env) (clientConfig, error) {
	var c clientConfig
	b, err := os.ReadFile(configPath(e))
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%s: %w", configPath(e), err)
	}
	return c, nil
}

func saveConfig(e *env, c clientConfig) error {
	p := configPath(e)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(c, "", "  ")
	// The token is a password: readable by its owner only.
	return os.WriteFile(p, append(b, '\n'), 0o600)
}

// remoteFlags are the flags of every command that talks to a server.
type remoteFlags struct {
	env    *env
	server *string
	token  *string
	json   *bool
}

func addRemoteFlags(fs *flag.FlagSet, e *env) *remoteFlags {
	return &remoteFlags{
		env:    e,
		server: stringFlag(fs, e, "server", "ATTAIN_SERVER", "", "the Attain server's URL; default: the one attain login saved"),
		token:  stringFlag(fs, e, "token", "ATTAIN_TOKEN", "", "a personal API token (atn_...); default: the one attain login saved"),
		json:   fs.Bool("json", false, "print JSON instead of a table, for scripts"),
	}
}

// client builds the API client from the flags, the environment and the
// saved config, in that order of precedence.
func (f *remoteFlags) client(e *env) (*apiClient, error) {
	cfg, err := loadConfig(e)
	if err != nil {
		return nil, err
	}
	server, token := *f.server, *f.token
	if server == "" {
		server = cfg.Server
	}
	if token == "" {
		token = cfg.Token
	}
	if server == "" {
		return nil, usageError{"no server: give --server (or ATTAIN_SERVER), or run attain login"}
	}
	if token == "" {
		return nil, usageError{"no API token: give --token (or ATTAIN_TOKEN), or run attain login"}
	}
	base, err := normaliseServer(server)
	if err != nil {
		return nil, err
	}
	return &apiClient{base: base, token: token, hc: &http.Client{Timeout: 60 * time.Second}}, nil
}

func normaliseServer(s string) (string, error) {
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", usageError{fmt.Sprintf("--server %q is not an http(s) URL", s)}
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.Path, "/"), nil
}

// output prints v as JSON when asked to, or as a table otherwise.
func (f *remoteFlags) output(v any, table func(tw *tabwriter.Writer)) error {
	if *f.json || table == nil {
		enc := json.NewEncoder(f.env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	tw := tabwriter.NewWriter(f.env.stdout, 0, 4, 2, ' ', 0)
	table(tw)
	return tw.Flush()
}

func cmdLogin(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("login", "", `Save the server and a personal API token for the commands that work on a
running server (deals, accounts, contacts, leads, search, log, task).
With --token the token is checked and saved. With --email, the password is
read from standard input and a new token named after this machine is made.
The config file is ATTAIN_CONFIG, else attain/config.json in the user's
config directory, readable by its owner only.`, e)
	server := stringFlag(fs, e, "server", "ATTAIN_SERVER", "", "the Attain server's URL, e.g. https://crm.example.com")
	token := stringFlag(fs, e, "token", "ATTAIN_TOKEN", "", "an existing personal API token (atn_...)")
	email := fs.String("email", "", "sign in with this email and a password read from standard input")
	workspace := fs.String("workspace", "", "with --email: the workspace slug, when you belong to several")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *server == "" {
		return usageError{"login: give --server"}
	}
	base, err := normaliseServer(*server)
	if err != nil {
		return err
	}
	c := &apiClient{base: base, hc: &http.Client{Timeout: 60 * time.Second}}
	cfg := clientConfig{Server: base}
	switch {
	case *token != "":
		cfg.Token = *token
	case *email != "":
		fmt.Fprint(e.stderr, "Password: ")
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return usageError{"login: no password on standard input"}
		}
		tok, err := createTokenWithPassword(ctx, c, *email, strings.TrimRight(line, "\r\n"), *workspace)
		if err != nil {
			return err
		}
		cfg.Token, cfg.TokenID = tok.Secret, tok.ID
	default:
		return usageError{"login: give --token, or --email to sign in with a password"}
	}
	c.token = cfg.Token
	var who struct {
		User      attain.User      `json:"user"`
		Workspace attain.Workspace `json:"workspace"`
	}
	if _, err := c.get(ctx, "/api/v1/session", nil, &who); err != nil {
		return err
	}
	cfg.Email = who.User.Email
	if err := saveConfig(e, cfg); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Signed in to %s as %s (%s) in workspace %s. Saved in %s\n",
		base, who.User.Email, who.User.Role, who.Workspace.Slug, configPath(e))
	return nil
}

// createTokenWithPassword signs in as a browser would and makes a token.
func createTokenWithPassword(ctx context.Context, c *apiClient, email, password, workspace string) (*attain.APIToken, error) {
	jar, _ := cookiejar.New(nil)
	sc := &apiClient{base: c.base, hc: &http.Client{Timeout: c.hc.Timeout, Jar: jar}}
	login := map[string]string{"email": email, "password": password}
	if workspace != "" {
		login["workspace"] = workspace
	}
	if _, err := sc.do(ctx, "POST", "/api/v1/session", nil, login, nil, nil); err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	name := "attain CLI"
	if host != "" {
		name += " on " + host
	}
	var tok attain.APIToken
	// A cookie-authenticated write must say where it comes from.
	_, err := sc.do(ctx, "POST", "/api/v1/tokens", nil, attain.NewToken{Name: name}, http.Header{"Origin": {c.base}}, &tok)
	if err != nil {
		return nil, err
	}
	_, _ = sc.do(ctx, "DELETE", "/api/v1/session", nil, nil, http.Header{"Origin": {c.base}}, nil)
	return &tok, nil
}

// listFlags are the list options every list command shares.
type listFlags struct {
	filters multiFlag
	sort    *string
	limit   *int
	all     *bool
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func addListFlags(fs *flag.FlagSet) *listFlags {
	lf := &listFlags{}
	fs.Var(&lf.filters, "filter", "a filter as the API takes it, field[op]=value (repeatable), e.g. amount[gte]=100000")
	lf.sort = fs.String("sort", "", "sort by a field; -field for descending")
	lf.limit = fs.Int("limit", 50, "how many to show")
	lf.all = fs.Bool("all", false, "show every match, page after page")
	return lf
}

func (lf *listFlags) query() (url.Values, error) {
	q := url.Values{}
	for _, f := range lf.filters {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" {
			return nil, usageError{fmt.Sprintf("--filter %q: write field=value or field[op]=value", f)}
		}
		q.Add(k, v)
	}
	if *lf.sort != "" {
		q.Set("sort", *lf.sort)
	}
	return q, nil
}

// listAll fetches a list's pages: one unless --all, up to --limit items.
func listAll[T any](ctx context.Context, c *apiClient, path string, q url.Values, lf *listFlags) ([]T, error) {
	var out []T
	limit := *lf.limit
	for {
		if *lf.all {
			q.Set("limit", strconv.Itoa(attain.MaxPageSize))
		} else {
			q.Set("limit", strconv.Itoa(min(max(limit-len(out), 1), attain.MaxPageSize)))
		}
		var page struct {
			Items      []T    `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		if _, err := c.get(ctx, path, q, &page); err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" || (!*lf.all && len(out) >= limit) {
			break
		}
		q.Set("cursor", page.NextCursor)
	}
	if out == nil {
		out = []T{}
	}
	return out, nil
}

// recordRef resolves what a person typed to name a record ("42" or "Acme
// renewal") to its id: a number is an id; otherwise the one record whose
// name starts with the text, an exact (case-insensitive) match winning.
// Several matches are an error listing them, so the user can pick an id.
func recordRef(ctx context.Context, c *apiClient, kind, ref string) (int64, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return 0, usageError{fmt.Sprintf("no %s given", kind)}
	}
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	q := url.Values{"q": {ref}, "types": {kind}, "limit": {"20"}}
	var res struct {
		Items []*attain.SearchResult `json:"items"`
	}
	if _, err := c.get(ctx, "/api/v1/search", q, &res); err != nil {
		return 0, err
	}
	var exact, prefix []*attain.SearchResult
	for _, r := range res.Items {
		title := strings.ToLower(strings.Join(strings.Fields(r.Title), " "))
		want := strings.ToLower(strings.Join(strings.Fields(ref), " "))
		switch {
		case title == want:
			exact = append(exact, r)
		case strings.Contains(title, want):
			prefix = append(prefix, r)
		}
	}
	matches := exact
	if len(matches) == 0 {
		matches = prefix
	}
	if len(matches) == 0 {
		matches = res.Items
	}
	switch len(matches) {
	case 0:
		return 0, &attain.Error{Code: attain.ENOTFOUND, Message: fmt.Sprintf("No %s you can see matches %q.", kind, ref)}
	case 1:
		return matches[0].ID, nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d %ss match %q; give the id of one:", len(matches), kind, ref)
	for _, m := range matches {
		fmt.Fprintf(&b, "\n  %d  %s", m.ID, m.Title)
		if m.Subtitle != "" {
			fmt.Fprintf(&b, " (%s)", m.Subtitle)
		}
	}
	return 0, usageError{b.String()}
}

// userRef resolves "me", an id or an email (or a name) to a member's id.
func userRef(ctx context.Context, c *apiClient, ref string) (int64, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	if ref == "me" {
		var who struct {
			User attain.User `json:"user"`
		}
		if _, err := c.get(ctx, "/api/v1/session", nil, &who); err != nil {
			return 0, err
		}
		return who.User.ID, nil
	}
	us, err := members(ctx, c)
	if err != nil {
		return 0, err
	}
	for _, u := range us {
		if strings.EqualFold(u.Email, ref) || strings.EqualFold(u.Name, ref) {
			return u.ID, nil
		}
	}
	return 0, &attain.Error{Code: attain.ENOTFOUND, Message: fmt.Sprintf("No member %q in this workspace.", ref)}
}

// members lists the workspace's members, to show owners by name.
func members(ctx context.Context, c *apiClient) ([]*attain.User, error) {
	all := true
	limit := attain.MaxPageSize
	return listAll[*attain.User](ctx, c, "/api/v1/users", url.Values{}, &listFlags{all: &all, limit: &limit, sort: new(string)})
}

// ownerNames maps member ids to names; on failure ids are shown instead.
func ownerNames(ctx context.Context, c *apiClient) map[int64]string {
	names := map[int64]string{}
	us, err := members(ctx, c)
	if err != nil {
		return names
	}
	for _, u := range us {
		names[u.ID] = u.Name
	}
	return names
}

func nameOr(names map[int64]string, id int64) string {
	if n, ok := names[id]; ok && n != "" {
		return n
	}
	return strconv.FormatInt(id, 10)
}

// parseWhen reads a time as a person types it: RFC 3339, "2026-12-01",
// "2026-12-01 15:30", "today", "tomorrow", "now", or a duration from now
// such as 3d, 2h or -30m. Dates without a time mean 09:00 local time.
func parseWhen(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	day := func(t time.Time) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), 9, 0, 0, 0, now.Location())
	}
	switch s {
	case "now":
		return now, nil
	case "today":
		return day(now), nil
	case "tomorrow":
		return day(now.AddDate(0, 0, 1)), nil
	case "yesterday":
		return day(now.AddDate(0, 0, -1)), nil
	}
	if t, err := time.Parse(time.RFC3339, strings.ToUpper(s)); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", s, now.Location()); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, now.Location()); err == nil {
		return day(t), nil
	}
	if n, unit, ok := cutNumber(s); ok {
		switch unit {
		case "d":
			return day(now.AddDate(0, 0, n)), nil
		case "w":
			return day(now.AddDate(0, 0, 7*n)), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(d), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time: use 2026-12-01, \"2026-12-01 15:30\", today, tomorrow, 3d, 2h or RFC 3339", s)
}

// cutNumber splits "3d" into 3 and "d".
func cutNumber(s string) (int, string, bool) {
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '-' && r != '+' })
	if i <= 0 {
		return 0, "", false
	}
	n, err := strconv.Atoi(s[:i])
	return n, s[i:], err == nil
}
