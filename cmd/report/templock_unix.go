//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// tempLockName is the file in a run's temporary directory that the run
// holds a lock on while it lives (see lockTemp): a directory whose lock
// file no process holds is a run's that was killed (SIGKILL, the kernel's
// out-of-memory killer), which could not remove it.
const tempLockName = "report.lock"

// lockTemp marks dir, a run's temporary directory, as the live run's: a
// file in it locked (flock) until release is called or the process ends,
// however it ends. The file is locked under another name and renamed, so
// that sweepStale never finds it unlocked. Where no lock can be taken,
// the directory is left unmarked, and no later run removes it.
func lockTemp(dir string) (release func()) {
	tmp := filepath.Join(dir, tempLockName+".new")
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return func() {}
	}
	if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil || os.Rename(tmp, filepath.Join(dir, tempLockName)) != nil {
		f.Close()
		os.Remove(tmp)
		return func() {}
	}
	return func() { f.Close() }
}

// sweepStale removes the temporary directories of killed runs in parent
// (those named report-… that hold a lock file no process holds, see
// lockTemp), but own, the live run's: excelize's spooled rows, tens of
// megabytes, would otherwise be left in /var/tmp by every run the kernel
// killed. A directory without a lock file is not known to be a run's, and
// is left as it is.
func sweepStale(parent, own string) {
	es, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range es {
		dir := filepath.Join(parent, e.Name())
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "report-") || dir == own {
			continue
		}
		f, err := os.Open(filepath.Join(dir, tempLockName))
		if err != nil {
			continue
		}
		if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) == nil {
			// Held now by this run alone: no other run can take it
			// while the directory goes.
			os.RemoveAll(dir)
		}
		f.Close()
	}
}
