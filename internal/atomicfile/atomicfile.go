// Package atomicfile writes a file that appears whole or not at all, and
// that leaves nothing behind when the process dies while writing it.
//
// On Linux the data go to an unnamed file in the target's directory
// (open(2) with O_TMPFILE). Only when it is complete and synced is it given
// a name, a hidden one next to the target (linkat(2) through
// /proc/self/fd), which is at once renamed over the target: a process
// killed while writing, even by SIGKILL or the out-of-memory killer, leaves
// no file. Where that cannot be done (another system, a file system without
// O_TMPFILE, no /proc) it falls back to a hidden named file next to the
// target, renamed over it, as github.com/google/renameio does; only that
// one is left behind by a process killed while writing.
//
// A named temporary file alone is not enough here: a workbook of millions
// of rows takes seconds to write, and a CI job stopped by its time limit
// would leave a hidden file of hundreds of megabytes next to the report
// every time.
package atomicfile

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// File is a file being written by Create. Write to it, then call Commit to
// put it in place, and Cleanup in any case (it does nothing after Commit).
type File struct {
	*os.File
	path string
	// tmp is the fallback's hidden name, when the file is not unnamed.
	tmp  string
	done bool
}

// Options says the permissions of the file to write.
type Options struct {
	// Perm is the permissions of a new file, less the umask.
	Perm os.FileMode
	// KeepPerm keeps the permissions of the file being replaced, when it
	// is a regular file.
	KeepPerm bool
}

// unnamed tells whether Create may use an unnamed file; tests turn it off
// to check the fallback.
var unnamed = true

// Create starts writing the file path, which is replaced only when Commit
// succeeds. Errors are *os.PathError of path.
func Create(path string, o Options) (*File, error) {
	var keep *os.FileMode
	if o.KeepPerm {
		fi, err := os.Lstat(path)
		switch {
		case err == nil && fi.Mode().IsRegular():
			perm := fi.Mode().Perm()
			keep = &perm
		case err != nil && !errors.Is(err, os.ErrNotExist):
			return nil, err
		}
	}
	if unnamed {
		f, err := openUnnamed(filepath.Dir(path), o.Perm)
		if err == nil {
			if keep != nil {
				if err := f.Chmod(*keep); err != nil {
					f.Close()
					return nil, &os.PathError{Op: "chmod", Path: path, Err: unwrap(err)}
				}
			}
			return &File{File: f, path: path}, nil
		}
		if !errors.Is(err, errUnsupported) {
			return nil, &os.PathError{Op: "open", Path: path, Err: err}
		}
	}
	for attempt := 0; ; attempt++ {
		tmp := hidden(path)
		f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, o.Perm.Perm())
		if errors.Is(err, os.ErrExist) && attempt < 100 {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "open", Path: path, Err: unwrap(err)}
		}
		if keep != nil {
			if err := f.Chmod(*keep); err != nil {
				f.Close()
				os.Remove(tmp)
				return nil, &os.PathError{Op: "chmod", Path: path, Err: unwrap(err)}
			}
		}
		return &File{File: f, path: path, tmp: tmp}, nil
	}
}

// hidden returns a hidden name next to path, unlikely to be taken.
func hidden(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+"."+strconv.FormatUint(rand.Uint64(), 36))
}

// Commit syncs and closes the file and puts it in place of path.
func (f *File) Commit() error {
	if f.done {
		return &os.PathError{Op: "commit", Path: f.path, Err: os.ErrClosed}
	}
	f.done = true
	err := f.Sync()
	if err == nil && f.tmp == "" {
		err = link(f.File, f.path)
	}
	if cerr := f.File.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err == nil && f.tmp != "" {
		err = os.Rename(f.tmp, f.path)
	}
	if err != nil {
		if f.tmp != "" {
			os.Remove(f.tmp)
		}
		return &os.PathError{Op: "write", Path: f.path, Err: unwrap(err)}
	}
	return nil
}

// Cleanup closes the file and drops it, unless Commit put it in place.
func (f *File) Cleanup() error {
	if f.done {
		return nil
	}
	f.done = true
	err := f.File.Close()
	if f.tmp != "" {
		if rerr := os.Remove(f.tmp); rerr != nil {
			err = rerr
		}
	}
	return err
}

// WriteFile writes data to path as Create and Commit do.
func WriteFile(path string, data []byte, o Options) error {
	f, err := Create(path, o)
	if err != nil {
		return err
	}
	defer f.Cleanup()
	if _, err := f.Write(data); err != nil {
		return &os.PathError{Op: "write", Path: path, Err: unwrap(err)}
	}
	return f.Commit()
}

// errUnsupported is returned by openUnnamed where an unnamed file cannot be
// made or linked.
var errUnsupported = errors.New("unnamed files are not supported")

// unwrap returns the cause of a path error, whose path may be a temporary
// name the caller never saw.
func unwrap(err error) error {
	if pe, ok := errors.AsType[*os.PathError](err); ok {
		return pe.Err
	}
	if le, ok := errors.AsType[*os.LinkError](err); ok {
		return le.Err
	}
	return err
}
