package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupRestoreCommands backs up a SQLite database and restores it over
// itself through the CLI, as an operator would.
func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ATTAIN_DATA_DIR": dir, "ATTAIN_LOG_LEVEL": "warn"}
	dbPath := filepath.Join(dir, "attain.db")
	mustAttain(t, env, "migrate")
	backup := filepath.Join(dir, "b", "copy.db")
	if out := mustAttain(t, env, "backup", "--out", backup); !strings.Contains(out, backup) {
		t.Errorf("backup output %q does not name the file", out)
	}
	// Without --out the backup lands in the data directory's backups folder.
	mustAttain(t, env, "backup")
	if found, _ := filepath.Glob(filepath.Join(dir, "backups", "attain-*.db")); len(found) != 1 {
		t.Errorf("default backups: %v", found)
	}

	if _, _, err := runAttain(t, env, "restore"); exitCode(err) != 2 {
		t.Errorf("restore without --from: %v, want a usage error", err)
	}
	out := mustAttain(t, env, "restore", "--from", backup)
	if !strings.Contains(out, dbPath+".before-restore") {
		t.Errorf("restore output %q does not say where the old database went", out)
	}
	if _, err := os.Stat(dbPath + ".before-restore"); err != nil {
		t.Error(err)
	}
	mustAttain(t, env, "migrate", "--status")
}
