package service

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PasswordHasher hashes passwords with argon2id and stores them in the PHC
// string format, so parameters can be raised later without breaking old hashes.
type PasswordHasher struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultHasher uses OWASP's recommended argon2id parameters (19 MiB, t=2, p=1).
func DefaultHasher() *PasswordHasher { return &PasswordHasher{Time: 2, Memory: 19 * 1024, Threads: 1} }

// FastHasher is for tests only: the same algorithm with tiny cost.
func FastHasher() *PasswordHasher { return &PasswordHasher{Time: 1, Memory: 64, Threads: 1} }

// Hash returns the encoded hash of password with a fresh salt.
func (h *PasswordHasher) Hash(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, h.Time, h.Memory, h.Threads, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.Memory, h.Time, h.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// Verify reports whether password matches the encoded hash, using the
// parameters stored in it.
func (h *PasswordHasher) Verify(password, encoded string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
