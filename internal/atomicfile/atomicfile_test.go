package atomicfile

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// modes runs f with unnamed files (where the system has them) and with the
// fallback's named file.
func modes(t *testing.T, f func(t *testing.T, unnamed bool)) {
	for _, u := range []bool{true, false} {
		name := map[bool]string{true: "unnamed", false: "named"}[u]
		t.Run(name, func(t *testing.T) {
			if u && !supported(t) {
				t.Skip("no unnamed files here")
			}
			defer func(old bool) { unnamed = old }(unnamed)
			unnamed = u
			f(t, u)
		})
	}
}

// supported tells whether Create makes unnamed files in a directory like
// the test's.
func supported(t *testing.T) bool {
	f, err := openUnnamed(filepath.Join(t.TempDir(), "x"), 0o600)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// names lists dir.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ns []string
	for _, e := range es {
		ns = append(ns, e.Name())
	}
	return ns
}

// createdPerm returns the permissions a new file made with perm gets under
// the process's umask.
func createdPerm(t *testing.T, perm os.FileMode) os.FileMode {
	p := filepath.Join(t.TempDir(), "probe")
	if err := os.WriteFile(p, nil, perm); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestCommit(t *testing.T) {
	tests := []struct {
		name     string
		old      []byte // nil: no file before
		oldPerm  os.FileMode
		keepPerm bool
		want     func(t *testing.T) os.FileMode
	}{
		{name: "new", want: func(t *testing.T) os.FileMode { return createdPerm(t, 0o644) }},
		{name: "new, keep", keepPerm: true, want: func(t *testing.T) os.FileMode { return createdPerm(t, 0o644) }},
		{name: "replace", old: []byte("old"), oldPerm: 0o600, want: func(t *testing.T) os.FileMode { return createdPerm(t, 0o644) }},
		{name: "replace, keep", old: []byte("old"), oldPerm: 0o600, keepPerm: true, want: func(*testing.T) os.FileMode { return 0o600 }},
		{name: "replace, keep wider", old: []byte("old"), oldPerm: 0o664, keepPerm: true, want: func(*testing.T) os.FileMode { return 0o664 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			modes(t, func(t *testing.T, unnamed bool) {
				dir := t.TempDir()
				path := filepath.Join(dir, "report.xlsx")
				if tt.old != nil {
					if err := os.WriteFile(path, tt.old, tt.oldPerm); err != nil {
						t.Fatal(err)
					}
					if err := os.Chmod(path, tt.oldPerm); err != nil {
						t.Fatal(err)
					}
				}
				f, err := Create(path, Options{Perm: 0o644, KeepPerm: tt.keepPerm})
				if err != nil {
					t.Fatal(err)
				}
				defer f.Cleanup()
				data := bytes.Repeat([]byte("0123456789"), 100_000)
				if _, err := f.Write(data); err != nil {
					t.Fatal(err)
				}
				// While it is written, the target is what it was, and an
				// unnamed file has no name.
				got, err := os.ReadFile(path)
				if tt.old == nil && !errors.Is(err, os.ErrNotExist) {
					t.Errorf("while writing, the target is there: %v", err)
				}
				if tt.old != nil && !bytes.Equal(got, tt.old) {
					t.Errorf("while writing, the target holds %q, want %q", got, tt.old)
				}
				before := 0
				if tt.old != nil {
					before = 1
				}
				if unnamed && len(names(t, dir)) != before {
					t.Errorf("while writing, the directory holds %v", names(t, dir))
				}
				if err := f.Commit(); err != nil {
					t.Fatal(err)
				}
				if err := f.Cleanup(); err != nil {
					t.Errorf("Cleanup after Commit: %v", err)
				}
				if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, data) {
					t.Errorf("after Commit, read %d bytes, %v; want %d", len(got), err, len(data))
				}
				fi, err := os.Stat(path)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := fi.Mode().Perm(), tt.want(t); got != want {
					t.Errorf("permissions %v, want %v", got, want)
				}
				if got := names(t, dir); !slices.Equal(got, []string{"report.xlsx"}) {
					t.Errorf("after Commit, the directory holds %v", got)
				}
				if err := f.Commit(); err == nil {
					t.Error("a second Commit gave no error")
				}
			})
		})
	}
}

func TestCleanup(t *testing.T) {
	modes(t, func(t *testing.T, _ bool) {
		for _, old := range []bool{false, true} {
			dir := t.TempDir()
			path := filepath.Join(dir, "findings.sarif")
			if old {
				if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			f, err := Create(path, Options{Perm: 0o644})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteString("half a report"); err != nil {
				t.Fatal(err)
			}
			if err := f.Cleanup(); err != nil {
				t.Errorf("Cleanup: %v", err)
			}
			want := []string(nil)
			if old {
				want = []string{"findings.sarif"}
				if got, _ := os.ReadFile(path); string(got) != "old" {
					t.Errorf("after Cleanup the target holds %q, want %q", got, "old")
				}
			}
			if got := names(t, dir); !slices.Equal(got, want) {
				t.Errorf("after Cleanup, the directory holds %v, want %v", got, want)
			}
		}
	})
}

func TestWriteFile(t *testing.T) {
	modes(t, func(t *testing.T, _ bool) {
		path := filepath.Join(t.TempDir(), "import.csv")
		if err := WriteFile(path, []byte("a,b\n"), Options{Perm: 0o644}); err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(path); string(got) != "a,b\n" || err != nil {
			t.Errorf("read %q, %v", got, err)
		}
	})
}

func TestCreateErrors(t *testing.T) {
	modes(t, func(t *testing.T, _ bool) {
		dir := t.TempDir()
		tests := []struct {
			name, path string
			is         error
		}{
			{"missing directory", filepath.Join(dir, "gone", "out.xlsx"), os.ErrNotExist},
			{"a directory as the directory", filepath.Join(dir, "file", "out.xlsx"), nil},
			{"a directory as the file", filepath.Join(dir, "sub"), syscall.EISDIR},
		}
		if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
		// Where links can be made (not on every Windows account).
		if err := os.Symlink("sub", filepath.Join(dir, "link")); err == nil {
			tests = append(tests, struct {
				name, path string
				is         error
			}{"a link to a directory as the file", filepath.Join(dir, "link"), syscall.EISDIR})
		}
		for _, tt := range tests {
			_, err := Create(tt.path, Options{Perm: 0o644})
			if err == nil {
				t.Errorf("%s: no error", tt.name)
				continue
			}
			pe, ok := errors.AsType[*os.PathError](err)
			if !ok || pe.Path != tt.path {
				t.Errorf("%s: %v does not name %s", tt.name, err, tt.path)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("%s: %v is not %v", tt.name, err, tt.is)
			}
		}
	})
}

// TestKilled kills a process while it writes a file: nothing of the file
// is left, and the file it was replacing is as it was.
func TestKilled(t *testing.T) {
	if path := os.Getenv("ATOMICFILE_KILLED"); path != "" {
		f, err := Create(path, Options{Perm: 0o644})
		if err != nil {
			os.Exit(2)
		}
		f.Write(bytes.Repeat([]byte("x"), 1<<20))
		os.Stdout.WriteString("written\n")
		time.Sleep(time.Minute)
		os.Exit(3)
	}
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL")
	}
	if !supported(t) {
		t.Skip("no unnamed files here: the fallback's file is left behind")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "report.xlsx")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilled$")
	cmd.Env = append(os.Environ(), "ATOMICFILE_KILLED="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, _ := out.Read(buf)
	if !strings.Contains(string(buf[:n]), "written") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the child said %q", buf[:n])
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if got := names(t, dir); !slices.Equal(got, []string{"report.xlsx"}) {
		t.Errorf("after the kill, the directory holds %v", got)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("after the kill, the target holds %q", got)
	}
}

// TestLongName writes a file whose name is as long as names may be.
func TestLongName(t *testing.T) {
	modes(t, func(t *testing.T, _ bool) {
		path := filepath.Join(t.TempDir(), strings.Repeat("q", 250)+".xlsx")
		if err := WriteFile(path, []byte("x"), Options{Perm: 0o644}); err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(path); string(got) != "x" || err != nil {
			t.Errorf("read %q, %v", got, err)
		}
	})
}

// TestRemovePending stops a process that writes through the fallback's
// named file the way a signal handler does: RemovePending leaves nothing.
func TestRemovePending(t *testing.T) {
	if path := os.Getenv("ATOMICFILE_PENDING"); path != "" {
		unnamed = false
		f, err := Create(path, Options{Perm: 0o644})
		if err != nil {
			os.Exit(2)
		}
		f.WriteString("half a workbook")
		RemovePending()
		os.Exit(0)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "report.xlsx")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRemovePending$")
	cmd.Env = append(os.Environ(), "ATOMICFILE_PENDING="+path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"report.xlsx"}) {
		t.Errorf("after RemovePending, the directory holds %v", got)
	}
}
