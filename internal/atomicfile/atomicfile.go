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
// target, renamed over it, as github.com/google/renameio does; a process
// that is stopped by a signal it handles removes those with
// [RemovePending], and only one killed outright leaves them behind.
//
// A target that exists and is not a regular file nor a directory (/dev/null,
// /dev/stdout, a named pipe) is written to directly: replacing it with a
// file would break it.
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
	"strings"
	"sync"
	"syscall"
)

// File is a file being written by Create. Write to it, then call Commit to
// put it in place, and Cleanup in any case (it does nothing after Commit).
type File struct {
	*os.File
	path string
	// target is the file replaced: path, or the file its links lead to.
	target string
	// tmp is the fallback's hidden name, when the file is not unnamed.
	tmp string
	// direct says the target is written to as it is (a device or a pipe).
	direct bool
	done   bool
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
// succeeds. A symbolic link is written through: the file it leads to is
// replaced and the link stays; a link to a descriptor of the process
// (/dev/stdout, /proc/self/fd/1), a device or a pipe is written to as it
// is. A directory is not replaced: its error wraps syscall.EISDIR. Errors
// are *os.PathError of path.
func Create(path string, o Options) (*File, error) {
	target, desc := throughLinks(path)
	fi, serr := os.Stat(target)
	if !desc && serr == nil && fi.IsDir() {
		// Said now, before anything is written: the rename at the end
		// would fail with EEXIST, "file exists", which hides the cause.
		return nil, &os.PathError{Op: "open", Path: path, Err: syscall.EISDIR}
	}
	if desc || serr == nil && !fi.Mode().IsRegular() {
		flag := os.O_WRONLY
		if desc {
			// Appended to, as the shell opened it: > has emptied it, >>
			// keeps what it holds.
			flag |= os.O_APPEND
		}
		f, err := os.OpenFile(path, flag, 0)
		if err != nil {
			return nil, &os.PathError{Op: "open", Path: path, Err: unwrap(err)}
		}
		return &File{File: f, path: path, target: path, direct: true}, nil
	}
	var keep *os.FileMode
	if o.KeepPerm {
		fi, err := os.Lstat(target)
		switch {
		case err == nil && fi.Mode().IsRegular():
			perm := fi.Mode().Perm()
			keep = &perm
		case err != nil && !errors.Is(err, os.ErrNotExist):
			return nil, &os.PathError{Op: "stat", Path: path, Err: unwrap(err)}
		}
	}
	f := &File{path: path, target: target}
	var err error
	if unnamed {
		f.File, err = openUnnamed(target, o.Perm)
		if err != nil && !errors.Is(err, errUnsupported) {
			return nil, &os.PathError{Op: "open", Path: path, Err: err}
		}
	}
	if f.File == nil {
		f.tmp, err = nameNew(target, func(tmp string) (err error) {
			f.File, err = os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, o.Perm.Perm())
			return err
		})
		if err != nil {
			return nil, &os.PathError{Op: "open", Path: path, Err: unwrap(err)}
		}
	}
	if keep != nil {
		if err := f.Chmod(*keep); err != nil {
			f.Cleanup()
			return nil, &os.PathError{Op: "chmod", Path: path, Err: unwrap(err)}
		}
	}
	return f, nil
}

// throughLinks follows the symbolic links of path to the file they lead
// to, which the output replaces. desc says that path, or a link on the
// way, is a descriptor of the process (/dev/stdout is a link to
// /proc/self/fd/1, which is a link to whatever standard output is): it is
// written to, not replaced.
func throughLinks(path string) (target string, desc bool) {
	target = path
	for range 40 {
		if abs, err := filepath.Abs(target); err == nil && (strings.HasPrefix(abs, "/proc/") || strings.HasPrefix(abs, "/dev/fd/")) {
			return path, true
		}
		fi, err := os.Lstat(target)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			return target, false
		}
		link, err := os.Readlink(target)
		if err != nil {
			return target, false
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(target), link)
		}
		target = link
	}
	return target, false
}

// nameNew makes a file of a new hidden name next to path with create, and
// returns the name, which is pending until dropped: create runs under the
// lock of the pending names, so that RemovePending, once it has run, lets
// no new name be made. A name already taken is tried again with another.
func nameNew(path string, create func(tmp string) error) (string, error) {
	for attempt := 0; ; attempt++ {
		tmp := hidden(path)
		pending.mu.Lock()
		err := create(tmp)
		if err == nil {
			pending.names[tmp] = true
		}
		pending.mu.Unlock()
		if errors.Is(err, os.ErrExist) && attempt < 100 {
			continue
		}
		return tmp, err
	}
}

// hidden returns a hidden name next to path, unlikely to be taken, and no
// longer than a name may be where path's is.
func hidden(path string) string {
	base := filepath.Base(path)
	suffix := "." + strconv.FormatUint(rand.Uint64(), 36)
	if n := maxName - 1 - len(suffix); len(base) > n {
		base = base[:n]
	}
	return filepath.Join(filepath.Dir(path), "."+base+suffix)
}

// maxName is the longest file name most file systems take, in bytes.
const maxName = 255

// pending holds the fallback's hidden names while their files are written.
var pending = pendingNames{names: map[string]bool{}}

type pendingNames struct {
	mu    sync.Mutex
	names map[string]bool
}

func (p *pendingNames) drop(name string) {
	p.mu.Lock()
	delete(p.names, name)
	p.mu.Unlock()
}

// RemovePending removes the named files of writes not yet committed. A
// process stopped by a signal calls it before it dies; the files are not
// usable afterwards, and no more can be created.
func RemovePending() {
	pending.mu.Lock() // held until the process dies: no file is named after this
	for name := range pending.names {
		os.Remove(name)
	}
}

// Commit syncs and closes the file and puts it in place of path.
func (f *File) Commit() error {
	if f.done {
		return &os.PathError{Op: "commit", Path: f.path, Err: os.ErrClosed}
	}
	f.done = true
	if f.direct {
		if err := f.File.Close(); err != nil {
			return &os.PathError{Op: "write", Path: f.path, Err: unwrap(err)}
		}
		return nil
	}
	err := f.Sync()
	if err == nil && f.tmp == "" {
		err = link(f.File, f.target)
	}
	if cerr := f.File.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err == nil && f.tmp != "" {
		err = os.Rename(f.tmp, f.target)
	}
	if err != nil && f.tmp != "" {
		os.Remove(f.tmp)
	}
	if f.tmp != "" {
		pending.drop(f.tmp)
	}
	if err != nil {
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
		pending.drop(f.tmp)
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
