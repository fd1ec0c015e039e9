package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The operations of the workload, by the key --mix names them with.
const (
	OpList      = "list"
	OpSearch    = "search"
	OpRecord    = "record"
	OpDashboard = "dashboard"
	OpCreate    = "create"
	OpUpdate    = "update"
	OpMove      = "move"
	OpActivity  = "activity"
)

// opNames are the operations in report order, with what the report calls them.
var opNames = []struct{ key, name string }{
	{OpList, "list deals (filtered)"},
	{OpSearch, "search"},
	{OpRecord, "record page (deal + timeline)"},
	{OpDashboard, "dashboard"},
	{OpCreate, "create deal"},
	{OpUpdate, "update deal"},
	{OpMove, "move stage"},
	{OpActivity, "log activity"},
}

// Mix weighs the operations: each client picks its next operation at random
// in proportion to the weights. A zero weight leaves an operation out.
type Mix map[string]int

// DefaultMix is mostly reads, as a sales team's day is: 70% reads, 30% writes.
func DefaultMix() Mix {
	return Mix{OpList: 20, OpSearch: 15, OpRecord: 25, OpDashboard: 10, OpCreate: 10, OpUpdate: 8, OpMove: 7, OpActivity: 5}
}

// ParseMix reads "list=20,search=15,..."; operations not named weigh zero.
func ParseMix(s string) (Mix, error) {
	m := Mix{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		w, err := strconv.Atoi(strings.TrimSpace(v))
		k = strings.TrimSpace(k)
		if !ok || err != nil || w < 0 {
			return nil, fmt.Errorf("mix: %q is not op=weight with a weight of 0 or more", part)
		}
		if !slices.ContainsFunc(opNames, func(o struct{ key, name string }) bool { return o.key == k }) {
			return nil, fmt.Errorf("mix: unknown operation %q (one of list, search, record, dashboard, create, update, move, activity)", k)
		}
		m[k] = w
	}
	if m.total() == 0 {
		return nil, errors.New("mix: give at least one operation a weight above 0")
	}
	return m, nil
}

func (m Mix) total() int {
	n := 0
	for _, w := range m {
		n += w
	}
	return n
}

// String writes the mix in the order ParseMix reads.
func (m Mix) String() string {
	var parts []string
	for _, o := range opNames {
		if w := m[o.key]; w > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", o.key, w))
		}
	}
	return strings.Join(parts, ",")
}

// Config is what a load test runs.
type Config struct {
	URL      string // the server's base URL, e.g. http://127.0.0.1:8080
	Token    string // a personal API token, atn_...
	Clients  int
	Duration time.Duration
	// CeilingDuration is how long the ceiling runs; 0 means Duration.
	CeilingDuration time.Duration
	// NoCeiling skips the ceiling, e.g. for a second run in the same minute.
	NoCeiling bool
	Mix       Mix
	Seed      uint64
	// Dashboards are the GET paths of the dashboard operation; nil finds
	// them in the server's OpenAPI document (paths naming "dashboard").
	Dashboards []string
	// HTTP is the client to use; nil makes one with a connection per client.
	HTTP *http.Client
}

func (c *Config) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return newHTTPClient(c.Clients)
}

func newHTTPClient(clients int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = clients * 2
	tr.MaxIdleConnsPerHost = clients * 2
	tr.DisableCompression = true
	return &http.Client{Transport: tr, Timeout: 60 * time.Second}
}

// target is what a run learned about the workspace before starting: ids to
// read, words to search for, and where deals can move.
type target struct {
	base       string
	token      string
	http       *http.Client
	userID     int64
	pipelineID int64
	// stages are two open stages of the default pipeline, in order; a deal
	// the run created in the first may move to the second and back (moving
	// forward from the first needs only an amount and a close date in the
	// default pipeline, which created deals have).
	stages       [2]int64
	activityType string
	dealIDs      []int64
	ownerIDs     []int64
	words        []string
	dashboards   []string
}

// apiError is a response with a status other than the one expected.
type apiError struct {
	status int
	key    string // method, path template and title
}

func (e *apiError) Error() string { return e.key }

// call sends one request and decodes a 2xx JSON response into out (nil
// discards it). pathTmpl names the endpoint in error reports.
func (t *target) call(ctx context.Context, method, path, pathTmpl string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, t.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+t.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := t.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		var p struct {
			Title  string `json:"title"`
			Errors []struct {
				Field string `json:"field"`
			} `json:"errors"`
		}
		_ = json.NewDecoder(io.LimitReader(res.Body, 1<<16)).Decode(&p)
		what := p.Title
		for _, f := range p.Errors {
			what += " " + f.Field
		}
		return &apiError{status: res.StatusCode, key: fmt.Sprintf("%d %s %s: %s", res.StatusCode, method, pathTmpl, strings.TrimSpace(what))}
	}
	if out == nil {
		_, err = io.Copy(io.Discard, res.Body)
		return err
	}
	return json.NewDecoder(res.Body).Decode(out)
}

type idItem struct {
	ID int64 `json:"id"`
}

// discover reads, through the API, what the run needs from the workspace.
func discover(ctx context.Context, cfg *Config, hc *http.Client) (*target, error) {
	t := &target{base: strings.TrimRight(cfg.URL, "/"), token: cfg.Token, http: hc}
	var session struct {
		User idItem `json:"user"`
	}
	if err := t.call(ctx, "GET", "/api/v1/session", "/api/v1/session", nil, &session); err != nil {
		return nil, fmt.Errorf("check the token: %w", err)
	}
	t.userID = session.User.ID

	var pipelines struct {
		Items []struct {
			ID        int64 `json:"id"`
			IsDefault bool  `json:"is_default"`
			Stages    []struct {
				ID       int64  `json:"id"`
				Position int    `json:"position"`
				Outcome  string `json:"outcome"`
			} `json:"stages"`
		} `json:"items"`
	}
	if err := t.call(ctx, "GET", "/api/v1/pipelines", "/api/v1/pipelines", nil, &pipelines); err != nil {
		return nil, err
	}
	for _, p := range pipelines.Items {
		if !p.IsDefault {
			continue
		}
		t.pipelineID = p.ID
		sort.Slice(p.Stages, func(i, j int) bool { return p.Stages[i].Position < p.Stages[j].Position })
		var open []int64
		for _, s := range p.Stages {
			if s.Outcome == "open" {
				open = append(open, s.ID)
			}
		}
		if len(open) >= 2 {
			t.stages = [2]int64{open[0], open[1]}
		}
	}
	if t.pipelineID == 0 || t.stages[0] == 0 {
		return nil, errors.New("the workspace has no default pipeline with two open stages")
	}

	var types struct {
		Items []struct {
			Key       string     `json:"key"`
			RetiredAt *time.Time `json:"retired_at"`
		} `json:"items"`
	}
	if err := t.call(ctx, "GET", "/api/v1/activity-types", "/api/v1/activity-types", nil, &types); err != nil {
		return nil, err
	}
	for _, at := range types.Items {
		if at.RetiredAt == nil && (t.activityType == "" || at.Key == "call") {
			t.activityType = at.Key
		}
	}

	var users struct {
		Items []idItem `json:"items"`
	}
	if err := t.call(ctx, "GET", "/api/v1/users", "/api/v1/users", nil, &users); err != nil {
		return nil, err
	}
	for _, u := range users.Items {
		t.ownerIDs = append(t.ownerIDs, u.ID)
	}

	// Deal ids from several orders, so reads spread over the workspace
	// rather than its newest corner.
	seen := map[int64]bool{}
	words := map[string]bool{}
	addWords := func(name string) {
		for w := range strings.FieldsSeq(strings.ToLower(name)) {
			w = strings.Trim(w, ".,;:()&-'\"")
			if len([]rune(w)) >= 3 && !strings.ContainsAny(w, "0123456789") && len(words) < 500 {
				words[w] = true
			}
		}
	}
	for _, sortBy := range []string{"", "-amount", "close_date", "-updated_at", "name"} {
		var deals struct {
			Items []struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			} `json:"items"`
		}
		q := "/api/v1/deals?limit=200"
		if sortBy != "" {
			q += "&sort=" + sortBy
		}
		if err := t.call(ctx, "GET", q, "/api/v1/deals", nil, &deals); err != nil {
			return nil, err
		}
		for _, d := range deals.Items {
			if !seen[d.ID] {
				seen[d.ID] = true
				t.dealIDs = append(t.dealIDs, d.ID)
			}
			addWords(d.Name)
		}
	}
	var accounts struct {
		Items []struct {
			Name string `json:"name"`
		} `json:"items"`
	}
	if err := t.call(ctx, "GET", "/api/v1/accounts?limit=200", "/api/v1/accounts", nil, &accounts); err != nil {
		return nil, err
	}
	for _, a := range accounts.Items {
		addWords(a.Name)
	}
	for w := range words {
		t.words = append(t.words, w)
	}
	slices.Sort(t.words)
	if len(t.words) == 0 {
		t.words = []string{"load", "deal"} // the run's own deals carry these
	}

	t.dashboards = cfg.Dashboards
	if t.dashboards == nil {
		var doc struct {
			Paths map[string]map[string]json.RawMessage `json:"paths"`
		}
		if err := t.call(ctx, "GET", "/api/v1/openapi.json", "/api/v1/openapi.json", nil, &doc); err != nil {
			return nil, err
		}
		for p, methods := range doc.Paths {
			// A rep's dashboard is asked for by the rep's id; other
			// parameters cannot be guessed.
			fillable := !strings.Contains(strings.ReplaceAll(p, "/users/{id}/", "/"), "{")
			if _, ok := methods["get"]; ok && strings.Contains(p, "dashboard") && fillable {
				t.dashboards = append(t.dashboards, p)
			}
		}
		slices.Sort(t.dashboards)
	}
	return t, nil
}

// serverRSS reads process_resident_memory_bytes from the server's /metrics.
func (t *target) serverRSS(ctx context.Context) int64 {
	req, err := http.NewRequestWithContext(ctx, "GET", t.base+"/metrics", nil)
	if err != nil {
		return 0
	}
	res, err := t.http.Do(req)
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil || res.StatusCode != http.StatusOK {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "process_resident_memory_bytes "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err == nil {
				return int64(f)
			}
		}
	}
	return 0
}

// ownDeal is a deal a client created, which only it writes to, so that its
// moves are always allowed and never race another client's.
type ownDeal struct {
	id    int64
	stage int // index into target.stages
}

// client is one simulated user running operations back to back.
type client struct {
	t     *target
	n     int // the client's number, for unique names
	rng   *rand.Rand
	ops   []string // one entry per unit of weight
	stats map[string]*OpStats
	own   []ownDeal
	seq   int
}

func (c *client) stat(name string) *OpStats {
	s := c.stats[name]
	if s == nil {
		s = newOpStats(name)
		c.stats[name] = s
	}
	return s
}

// one runs one operation of kind op and records it.
func (c *client) one(ctx context.Context, op string) {
	name := op
	for _, o := range opNames {
		if o.key == op {
			name = o.name
		}
	}
	// Writes go to the client's own deals; the first is created on demand.
	if (op == OpUpdate || op == OpMove || op == OpActivity) && len(c.own) == 0 {
		op, name = OpCreate, "create deal"
	}
	if op == OpRecord && len(c.t.dealIDs) == 0 && len(c.own) == 0 {
		op, name = OpCreate, "create deal"
	}
	var fn func(context.Context) error
	switch op {
	case OpList:
		fn = c.list
	case OpSearch:
		fn = c.search
	case OpRecord:
		fn = c.record
	case OpDashboard:
		tmpl := c.t.dashboards[c.rng.IntN(len(c.t.dashboards))]
		name = "dashboard " + tmpl
		path := tmpl
		if strings.Contains(path, "/users/{id}/") && len(c.t.ownerIDs) > 0 {
			path = strings.Replace(path, "{id}", strconv.FormatInt(c.t.ownerIDs[c.rng.IntN(len(c.t.ownerIDs))], 10), 1)
		}
		fn = func(ctx context.Context) error { return c.t.call(ctx, "GET", path, tmpl, nil, nil) }
	case OpCreate:
		fn = c.create
	case OpUpdate:
		fn = c.update
	case OpMove:
		fn = c.move
	case OpActivity:
		fn = c.activity
	case opCeiling:
		fn = func(ctx context.Context) error { return c.t.call(ctx, "GET", "/deal", "/deal", nil, nil) }
	}
	s := c.stat(name)
	start := time.Now()
	err := fn(ctx)
	s.Latency.Add(time.Since(start))
	if err == nil {
		s.OK++
		return
	}
	s.Failed++
	var ae *apiError
	if errors.As(err, &ae) {
		s.Failures[ae.key]++
	} else {
		s.Failures[err.Error()]++
	}
}

func (c *client) pickDeal() int64 {
	n := len(c.t.dealIDs)
	if n == 0 || (len(c.own) > 0 && c.rng.IntN(10) == 0) {
		return c.own[c.rng.IntN(len(c.own))].id
	}
	return c.t.dealIDs[c.rng.IntN(n)]
}

// list reads a page of deals through one of the filters people use most.
func (c *client) list(ctx context.Context) error {
	q := url.Values{"limit": {"50"}}
	switch c.rng.IntN(4) {
	case 0: // the big open deals
		q.Set("status", "open")
		q.Set("amount[gte]", strconv.Itoa(1_000_000*(1+c.rng.IntN(10))))
		q.Set("sort", "-amount")
	case 1: // closing in a month
		m := time.Date(2025+c.rng.IntN(3), time.Month(1+c.rng.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
		q.Set("close_date[gte]", m.Format(time.DateOnly))
		q.Set("close_date[lt]", m.AddDate(0, 1, 0).Format(time.DateOnly))
		q.Set("sort", "close_date")
	case 2: // one rep's pipeline
		owner := c.t.userID
		if len(c.t.ownerIDs) > 0 {
			owner = c.t.ownerIDs[c.rng.IntN(len(c.t.ownerIDs))]
		}
		q.Set("owner_id", strconv.FormatInt(owner, 10))
		q.Set("status", "open")
		q.Set("sort", "-updated_at")
	default: // one stage, as a board column
		q.Set("stage_id", strconv.FormatInt(c.t.stages[c.rng.IntN(2)], 10))
		q.Set("sort", "-amount")
	}
	return c.t.call(ctx, "GET", "/api/v1/deals?"+q.Encode(), "/api/v1/deals", nil, nil)
}

// search looks for a word of a deal or account name, often as a prefix, as
// a search box sees it while someone types.
func (c *client) search(ctx context.Context) error {
	w := c.t.words[c.rng.IntN(len(c.t.words))]
	if r := []rune(w); len(r) > 3 && c.rng.IntN(2) == 0 {
		w = string(r[:3+c.rng.IntN(len(r)-3)])
	}
	return c.t.call(ctx, "GET", "/api/v1/search?q="+url.QueryEscape(w), "/api/v1/search", nil, nil)
}

// record reads what a deal's page shows: the deal, then its timeline.
func (c *client) record(ctx context.Context) error {
	id := strconv.FormatInt(c.pickDeal(), 10)
	if err := c.t.call(ctx, "GET", "/api/v1/deals/"+id, "/api/v1/deals/{id}", nil, nil); err != nil {
		return err
	}
	return c.t.call(ctx, "GET", "/api/v1/deals/"+id+"/timeline", "/api/v1/deals/{id}/timeline", nil, nil)
}

// dealBody is a new deal; the amount is integer minor units.
type dealBody struct {
	Name       string `json:"name"`
	PipelineID int64  `json:"pipeline_id"`
	StageID    int64  `json:"stage_id"`
	Amount     int64  `json:"amount"`
	CloseDate  string `json:"close_date"`
	NextStep   string `json:"next_step,omitempty"`
}

func (c *client) create(ctx context.Context) error {
	c.seq++
	close := time.Date(2027, time.Month(1+c.rng.IntN(12)), 1+c.rng.IntN(28), 0, 0, 0, 0, time.UTC)
	body := dealBody{
		Name:       fmt.Sprintf("Load deal %d-%d", c.n, c.seq),
		PipelineID: c.t.pipelineID, StageID: c.t.stages[0],
		Amount:    int64(100_000 + c.rng.IntN(10_000_000)),
		CloseDate: close.Format(time.DateOnly),
	}
	var d idItem
	if err := c.t.call(ctx, "POST", "/api/v1/deals", "/api/v1/deals", body, &d); err != nil {
		return err
	}
	// Keep the newest deals to write to, a few hundred at most.
	if len(c.own) >= 256 {
		c.own = c.own[1:]
	}
	c.own = append(c.own, ownDeal{id: d.ID})
	return nil
}

func (c *client) update(ctx context.Context) error {
	d := c.own[c.rng.IntN(len(c.own))]
	c.seq++
	body := struct {
		Amount   int64  `json:"amount"`
		NextStep string `json:"next_step"`
	}{int64(100_000 + c.rng.IntN(10_000_000)), fmt.Sprintf("Follow up %d", c.seq)}
	return c.t.call(ctx, "PATCH", "/api/v1/deals/"+strconv.FormatInt(d.id, 10), "/api/v1/deals/{id}", body, nil)
}

func (c *client) move(ctx context.Context) error {
	i := c.rng.IntN(len(c.own))
	d := &c.own[i]
	to := 1 - d.stage
	body := struct {
		StageID int64 `json:"stage_id"`
	}{c.t.stages[to]}
	err := c.t.call(ctx, "POST", "/api/v1/deals/"+strconv.FormatInt(d.id, 10)+"/move", "/api/v1/deals/{id}/move", body, nil)
	if err == nil {
		d.stage = to
	}
	return err
}

func (c *client) activity(ctx context.Context) error {
	d := c.own[c.rng.IntN(len(c.own))]
	body := struct {
		Type            string `json:"type"`
		DealID          int64  `json:"deal_id"`
		Subject         string `json:"subject"`
		DurationMinutes int    `json:"duration_minutes"`
	}{c.t.activityType, d.id, "Load test call", 15}
	return c.t.call(ctx, "POST", "/api/v1/activities", "/api/v1/activities", body, nil)
}

// runClients runs n clients of the mix until the duration has passed; a
// client finishes the operation it is in, so no request is cut short.
func runClients(ctx context.Context, n int, d time.Duration, newClient func(i int) *client) *Result {
	clients := make([]*client, n)
	for i := range clients {
		clients[i] = newClient(i)
	}
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) {
				c.one(ctx, c.ops[c.rng.IntN(len(c.ops))])
			}
		})
	}
	wg.Wait()
	r := &Result{Clients: n, Elapsed: time.Since(start)}
	merged := map[string]*OpStats{}
	var names []string
	for _, c := range clients {
		for name, s := range c.stats {
			if merged[name] == nil {
				merged[name] = newOpStats(name)
				names = append(names, name)
			}
			merged[name].merge(s)
		}
	}
	order := func(name string) int {
		for i, o := range opNames {
			if name == o.name || strings.HasPrefix(name, o.name+" ") {
				return i
			}
		}
		return len(opNames)
	}
	slices.SortFunc(names, func(a, b string) int {
		if oa, ob := order(a), order(b); oa != ob {
			return oa - ob
		}
		return strings.Compare(a, b)
	})
	for _, name := range names {
		r.Ops = append(r.Ops, merged[name])
	}
	return r
}

// Run discovers the workspace behind cfg's token, drives the server with
// the mix for the duration, then measures the ceiling the same way.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Clients <= 0 {
		return nil, errors.New("clients must be at least 1")
	}
	if cfg.Mix == nil {
		cfg.Mix = DefaultMix()
	}
	hc := cfg.httpClient()
	t, err := discover(ctx, &cfg, hc)
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	mix := maps.Clone(cfg.Mix)
	if mix[OpDashboard] > 0 && len(t.dashboards) == 0 {
		rep.Notes = append(rep.Notes, "the server has no dashboard endpoints yet, so the dashboard share of the mix was left out.")
		delete(mix, OpDashboard)
	}
	ops := opsOf(mix)
	if len(ops) == 0 {
		return nil, errors.New("the mix has nothing to run")
	}
	rep.Server = runClients(ctx, cfg.Clients, cfg.Duration, func(i int) *client {
		return &client{t: t, n: i, rng: rand.New(rand.NewPCG(cfg.Seed, uint64(i))), ops: ops, stats: map[string]*OpStats{}}
	})
	rep.Server.Target = t.base
	rep.ServerRSS = t.serverRSS(ctx)
	if ctx.Err() != nil || cfg.NoCeiling {
		return rep, ctx.Err()
	}
	cd := cfg.CeilingDuration
	if cd <= 0 {
		cd = cfg.Duration
	}
	rep.Ceiling, err = Ceiling(ctx, cfg.Clients, cd)
	return rep, err
}

// opsOf expands the mix to one entry per unit of weight, in a fixed order.
func opsOf(m Mix) []string {
	var ops []string
	for _, o := range opNames {
		for range m[o.key] {
			ops = append(ops, o.key)
		}
	}
	return ops
}
