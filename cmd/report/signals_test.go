package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPrivateTemp checks that a run's temporary directory is set as TMPDIR
// while it runs, and removed afterwards with TMPDIR as it was.
func TestPrivateTemp(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var during string
	code := withPrivateTemp(func() int {
		during = os.TempDir()
		if err := os.WriteFile(filepath.Join(during, "excelize-1"), []byte("rows"), 0o600); err != nil {
			t.Error(err)
		}
		return 7
	})
	if code != 7 {
		t.Errorf("exit code %d, want 7", code)
	}
	if filepath.Dir(during) != tmp {
		t.Errorf("TMPDIR while running was %s, want a directory in %s", during, tmp)
	}
	if got := os.Getenv("TMPDIR"); got != tmp {
		t.Errorf("TMPDIR after: %s, want %s", got, tmp)
	}
	if es, _ := os.ReadDir(tmp); len(es) != 0 {
		t.Errorf("left in TMPDIR: %v", es)
	}

	// Without a TMPDIR to make it in, the run goes on as it is.
	gone := filepath.Join(tmp, "gone")
	t.Setenv("TMPDIR", gone)
	code = withPrivateTemp(func() int {
		during = os.TempDir()
		return 0
	})
	if code != 0 || during != gone {
		t.Errorf("missing TMPDIR: code %d, TMPDIR %s while running; want 0, %s", code, during, gone)
	}
}

// TestStopSignals stops a run with each of the signals it cleans up after:
// the run dies of the signal and leaves nothing in TMPDIR.
func TestStopSignals(t *testing.T) {
	if os.Getenv("REPORT_SIGNAL_CHILD") != "" {
		withPrivateTemp(func() int {
			// A named file, as excelize leaves it while it writes.
			if err := os.WriteFile(filepath.Join(os.TempDir(), "excelize-1"), []byte("rows"), 0o600); err != nil {
				os.Exit(5)
			}
			os.Stdout.WriteString("running\n")
			time.Sleep(time.Minute)
			return 6
		})
		os.Exit(4)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGPIPE} {
		t.Run(sig.String(), func(t *testing.T) {
			if signal.Ignored(sig) {
				// Under nohup the child inherits the ignored hangup and
				// runs on, as it should.
				t.Skipf("%v is ignored in this process, and so in the child", sig)
			}
			tmp := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^TestStopSignals$")
			cmd.Env = append(os.Environ(), "REPORT_SIGNAL_CHILD=1", "TMPDIR="+tmp)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line, _ := bufio.NewReader(out).ReadString('\n')
			if !strings.Contains(line, "running") {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("the child said %q", line)
			}
			if es, _ := os.ReadDir(tmp); len(es) != 1 {
				t.Errorf("while running, TMPDIR holds %v, want the run's directory", es)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err = cmd.Wait()
			ee, ok := errors.AsType[*exec.ExitError](err)
			if !ok {
				t.Fatalf("the child ended with %v", err)
			}
			ws, ok := ee.Sys().(syscall.WaitStatus)
			switch {
			case !ok:
				t.Errorf("the child ended with %v", err)
			case sig == syscall.SIGPIPE:
				// Exit status 141, as a shell reports death by SIGPIPE.
				if ws.ExitStatus() != 128+int(sig) {
					t.Errorf("the child ended with %v, want exit status %d", err, 128+int(sig))
				}
			case !ws.Signaled() || ws.Signal() != sig:
				t.Errorf("the child ended with %v, want death by %v", err, sig)
			}
			if es, _ := os.ReadDir(tmp); len(es) != 0 {
				t.Errorf("left in TMPDIR: %v", es)
			}
		})
	}
}

// brokenPipe is standard output whose reader went away.
type brokenPipe struct{}

func (brokenPipe) Write([]byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.EPIPE}
}

// TestBrokenPipe checks that a run whose output nobody reads any more (as
// in report check --format json big.csv | head) ends quietly with the
// exit status of death by SIGPIPE.
func TestBrokenPipe(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for y := 1900; y < 2100; y++ {
		for m := 1; m <= 12; m++ {
			fmt.Fprintf(&csv, "KAZ,ARM,exports,%d-%02d,1,USD million,NSO\nKAZ,ARM,imports,%d-%02d,1,USD million,NSO\nKAZ,ARM,turnover,%d-%02d,5,USD million,NSO\n", y, m, y, m, y, m)
		}
	}
	path := filepath.Join(t.TempDir(), "trade.csv")
	if err := os.WriteFile(path, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	code := run([]string{"check", "--format", "json", path}, strings.NewReader(""), brokenPipe{}, &stderr)
	if code != 141 || stderr.Len() > 0 {
		t.Errorf("exit %d, standard error %q; want 141 and nothing", code, stderr.String())
	}
}
