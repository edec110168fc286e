//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestSweepStale checks that a run removes the temporary directories that
// runs killed with SIGKILL left beside its own, and nothing else: not the
// directory of a run still going, nor one without a lock file (another
// program's, say), nor a file.
func TestSweepStale(t *testing.T) {
	if os.Getenv("REPORT_KILLED_CHILD") != "" {
		// The child: a run that spools a named file, as excelize does,
		// and is killed while it sleeps.
		withPrivateTemp(func() int {
			if err := os.WriteFile(filepath.Join(os.TempDir(), "excelize-1"), []byte("rows"), 0o600); err != nil {
				return 3
			}
			os.Stdout.WriteString(os.TempDir() + "\n")
			time.Sleep(time.Minute)
			return 0
		})
		os.Exit(0)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)

	// A run killed by SIGKILL, which no handler sees.
	cmd := exec.Command(os.Args[0], "-test.run=^TestSweepStale$")
	cmd.Env = append(os.Environ(), "REPORT_KILLED_CHILD=1", "TMPDIR="+tmp)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	n, _ := out.Read(buf)
	killed := strings.TrimSpace(string(buf[:n]))
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(killed, "excelize-1")); err != nil {
		t.Fatalf("the killed run's directory %q: %v", killed, err)
	}

	// A run still going: its lock is held (here, by this process through
	// another open file, as another process would).
	live := filepath.Join(tmp, "report-live")
	if err := os.Mkdir(live, 0o700); err != nil {
		t.Fatal(err)
	}
	release := lockTemp(live)
	defer release()
	// Another program's directory, and a file.
	foreign := filepath.Join(tmp, "report-foreign")
	if err := os.Mkdir(foreign, 0o700); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(tmp, "report-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}

	withPrivateTemp(func() int { return 0 })
	sweeping.Wait()
	// The kernel lets go of a killed process's lock as its files close,
	// which on a loaded machine may come after Wait has returned: the next
	// run sweeps what this one could not.
	for i := 0; i < 40 && exists(killed); i++ {
		time.Sleep(50 * time.Millisecond)
		sweepStale(tmp, "")
	}
	if _, err := os.Stat(killed); !os.IsNotExist(err) {
		t.Errorf("the killed run's directory is still there (%v)", err)
	}
	for _, p := range []string{live, filepath.Join(live, tempLockName), foreign, file} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v, want it left", p, err)
		}
	}
}

// TestLockTempHeld checks that the lock of a run's directory is held while
// the run goes, so that no sweep takes it, and let go by release.
func TestLockTempHeld(t *testing.T) {
	dir := t.TempDir()
	release := lockTemp(dir)
	f, err := os.Open(filepath.Join(dir, tempLockName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) == nil {
		t.Fatal("the lock of a live run could be taken")
	}
	release()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		t.Errorf("the lock was not let go: %v", err)
	}
}

// exists reports whether path is there.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
