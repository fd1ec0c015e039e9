package main

import (
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
)

// defaultMemoryLimit is serve's soft limit on the memory the Go runtime
// holds. A million-deal workspace's analytics model is about 300 MB of
// live heap; the limit leaves the collector twice that before it works
// harder, and leaves room below 1 GiB resident for what SQLite allocates
// outside the Go heap (page caches, sorts, full-text queries): see
// docs/OPERATIONS.md, "Memory on large workspaces".
const defaultMemoryLimit = "640MiB"

// memoryLimit decides serve's soft memory limit and applies it: the
// --memory-limit flag or ATTAIN_MEMORY_LIMIT when given, else GOMEMLIMIT
// (which the Go runtime has applied already), else defaultMemoryLimit.
// "off" or 0 lifts it. It returns the limit in force, for the log (0 for
// none).
func memoryLimit(flagValue string, given bool, gomemlimit string) (int64, error) {
	if !given && gomemlimit != "" {
		if n := debug.SetMemoryLimit(-1); n != 1<<63-1 { // GOMEMLIMIT's, left as it is
			return n, nil
		}
		return 0, nil
	}
	v := flagValue
	if !given {
		v = defaultMemoryLimit
	}
	n, err := parseBytes(v)
	if err != nil {
		return 0, fmt.Errorf("--memory-limit: %w", err)
	}
	if n == 0 {
		debug.SetMemoryLimit(1<<63 - 1)
		return 0, nil
	}
	debug.SetMemoryLimit(n)
	return n, nil
}

// parseBytes reads a size as GOMEMLIMIT writes it: a whole number with an
// optional unit B, KiB, MiB, GiB or TiB; "off" is 0.
func parseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return 0, nil
	}
	num, mul := s, int64(1)
	for _, u := range []struct {
		suffix string
		mul    int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			num, mul = rest, u.mul
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || n < 0 || n > (1<<63-1)/mul {
		return 0, fmt.Errorf("%q is not a size such as 768MiB, 2GiB or off", s)
	}
	return n * mul, nil
}
