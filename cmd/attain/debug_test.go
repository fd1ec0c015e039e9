package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestDebugAddrIsLoopbackOnly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, addr := range []string{":6060", "0.0.0.0:6060", "[::]:6060", "192.0.2.1:6060", "example.com:6060"} {
		if _, err := startDebug(ctx, addr); err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("startDebug(%q): %v; want a refusal naming loopback", addr, err)
		}
	}
	a, err := startDebug(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get("http://" + a.String() + "/debug/pprof/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("profiler index: %s", res.Status)
	}
}
