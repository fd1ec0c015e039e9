package main

import "testing"

func TestParseBytes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"768MiB", 768 << 20, true},
		{"2GiB", 2 << 30, true},
		{"1TiB", 1 << 40, true},
		{"512KiB", 512 << 10, true},
		{"1000000B", 1000000, true},
		{"1000000", 1000000, true},
		{" 1 GiB ", 1 << 30, true},
		{"off", 0, true},
		{"0", 0, true},
		{"1.5GiB", 0, false},
		{"-1MiB", 0, false},
		{"1GB", 0, false},
		{"lots", 0, false},
		{"9999999999TiB", 0, false},
	} {
		got, err := parseBytes(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
}
