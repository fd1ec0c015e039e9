package loadtest_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/api"
	"github.com/attain-crm/attain/loadtest"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// TestSmoke drives a real server over each engine for a moment with every
// operation of the mix and checks that each ran and none failed. It asserts
// nothing about speed.
func TestSmoke(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := service.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), service.FastHasher())
		srv, err := api.NewServer(api.Config{Service: svc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv)
		t.Cleanup(hs.Close)
		ws, admin, err := svc.Bootstrap(ctx, "Load", attain.NewUser{Email: "admin@load.test", Name: "Admin", Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := svc.ActorFor(ctx, ws.ID, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := svc.CreateToken(ctx, a, attain.NewToken{Name: "load"})
		if err != nil {
			t.Fatal(err)
		}
		// A few deals to read, as a demo workspace would have.
		for _, name := range []string{"Acme renewal", "Globex expansion", "Initech pilot"} {
			amount := int64(1_500_000)
			if _, err := svc.CreateDeal(ctx, a, attain.DealInput{Name: name, Amount: &amount}); err != nil {
				t.Fatal(err)
			}
		}

		cfg := loadtest.Config{
			URL: hs.URL, Token: tok.Secret, Clients: 4, Duration: 300 * time.Millisecond, Seed: 1,
			Dashboards:      []string{"/api/v1/deals?limit=5"}, // stands in until dashboards exist
			CeilingDuration: 50 * time.Millisecond,
		}
		if err := loadtest.Populate(ctx, cfg, 20); err != nil {
			t.Fatal(err)
		}
		// Each operation alone, so each surely runs, then the whole mix.
		for op, name := range map[string]string{
			loadtest.OpList: "list deals (filtered)", loadtest.OpSearch: "search", loadtest.OpRecord: "record page (deal + timeline)",
			loadtest.OpDashboard: "dashboard /api/v1/deals?limit=5", loadtest.OpCreate: "create deal", loadtest.OpUpdate: "update deal",
			loadtest.OpMove: "move stage", loadtest.OpActivity: "log activity",
		} {
			one := cfg
			one.Mix, one.Duration, one.CeilingDuration = loadtest.Mix{op: 1}, 100*time.Millisecond, 10*time.Millisecond
			if op == loadtest.OpUpdate || op == loadtest.OpMove || op == loadtest.OpActivity {
				// A client's first write creates the deal it writes to;
				// leave time for a second operation on a slow machine.
				one.Clients, one.Duration = 1, time.Second
			}
			rep, err := loadtest.Run(ctx, one)
			if err != nil {
				t.Fatal(err)
			}
			if s := rep.Server.Op(name); s == nil || s.OK == 0 || s.Failed > 0 {
				t.Errorf("%s alone: %+v", name, s)
			}
		}
		rep, err := loadtest.Run(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if total := rep.Server.Total(); total.OK == 0 || total.Failed > 0 {
			t.Errorf("mix: %d requests, %d failed: %v", total.OK+total.Failed, total.Failed, total.Failures)
		}
		if rep.Ceiling == nil || rep.Ceiling.Total().OK == 0 {
			t.Error("the ceiling was not measured")
		}
		if rep.ServerRSS <= 0 {
			t.Error("the server's resident memory was not read from its /metrics")
		}
		var b bytes.Buffer
		if err := rep.WriteMarkdown(&b); err != nil {
			t.Fatal(err)
		}
		t.Log("\n" + b.String())
		// A time-bounded mix on a loaded machine may not reach every
		// operation (each ran alone above), so only the report's frame is checked.
		if !strings.Contains(b.String(), "| all operations |") || !strings.Contains(b.String(), "ceiling: bare net/http JSON handler") {
			t.Errorf("report:\n%s", b.String())
		}
	})
}
