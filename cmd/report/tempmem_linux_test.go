package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestTempFileSystem checks what tempFileSystem tells of a real tmpfs, of
// a size and of none: in memory, and what it holds as a file is written
// to it, or that it does not tell; and that a missing directory is not
// read.
func TestTempFileSystem(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	sized := mountTmpfs(t)
	inMemory, before, ok := tempFileSystem(sized)
	if !ok || !inMemory || before < 0 {
		t.Fatalf("a tmpfs of 256 MB: in memory %v, %d bytes used, ok %v", inMemory, before, ok)
	}
	f, err := os.Create(filepath.Join(sized, "x"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(bytes.Repeat([]byte{1}, 4<<20)); err != nil {
		t.Fatal(err)
	}
	if _, after, _ := tempFileSystem(sized); after-before < 4<<20 {
		t.Errorf("4 MB written: %d bytes more in use, want at least 4 MB", after-before)
	}
	unsized := t.TempDir()
	if err := syscall.Mount("tmpfs", unsized, "tmpfs", 0, "size=0"); err != nil {
		t.Skipf("cannot mount a tmpfs: %v", err)
	}
	defer syscall.Unmount(unsized, 0)
	if inMemory, used, ok := tempFileSystem(unsized); !ok || !inMemory || used != -1 {
		t.Errorf("a tmpfs of no size: in memory %v, %d bytes used, ok %v; want true, -1, true", inMemory, used, ok)
	}
	if _, _, ok := tempFileSystem(filepath.Join(sized, "none")); ok {
		t.Error("a directory that is not there was read")
	}
}

// TestPrivateTempInVarTmp runs withPrivateTemp in a mount namespace of its
// own whose /tmp is a tmpfs, TMPDIR unset: the run's temporary directory
// is made in /var/tmp, a disk's, and TMPDIR names it while the run runs.
func TestPrivateTempInVarTmp(t *testing.T) {
	if os.Getenv("REPORT_TMPFS_CHILD") != "" {
		if err := syscall.Mount("tmpfs", "/tmp", "tmpfs", 0, "size=64m"); err != nil {
			os.Stdout.WriteString("mount: " + err.Error())
			os.Exit(3)
		}
		os.Unsetenv("TMPDIR")
		os.Exit(withPrivateTemp(func() int {
			os.Stdout.WriteString(os.Getenv("TMPDIR"))
			return 0
		}))
	}
	if os.Geteuid() != 0 {
		t.Skip("a mount namespace needs root")
	}
	if inMemory, _, ok := tempFileSystem("/var/tmp"); !ok || inMemory {
		t.Skip("/var/tmp is not on a disk here")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestPrivateTempInVarTmp$")
	cmd.Env = append(os.Environ(), "REPORT_TMPFS_CHILD=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Unshareflags: syscall.CLONE_NEWNS}
	out, err := cmd.Output()
	ee, exited := errors.AsType[*exec.ExitError](err)
	switch {
	case err != nil && !exited:
		// Root without CAP_SYS_ADMIN (a default container) makes no
		// mount namespace.
		t.Skipf("cannot make a mount namespace: %v", err)
	case exited && ee.ExitCode() == 3:
		t.Skipf("cannot mount a tmpfs on /tmp: %s", out)
	case err != nil:
		t.Fatalf("%v: %s", err, out)
	}
	if dir := string(out); !strings.HasPrefix(dir, "/var/tmp/report-") {
		t.Errorf("with /tmp a tmpfs and TMPDIR unset, the run's TMPDIR is %q, want one in /var/tmp", dir)
	}
}
