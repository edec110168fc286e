package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// openUnnamed opens an unnamed file (O_TMPFILE) in the directory of path,
// whose descriptor can be linked through /proc/self/fd. The file is named
// path in errors.
func openUnnamed(path string, perm os.FileMode) (*os.File, error) {
	fd, err := unix.Open(filepath.Dir(path), unix.O_TMPFILE|unix.O_RDWR|unix.O_CLOEXEC, uint32(perm.Perm()))
	switch {
	case errors.Is(err, unix.EOPNOTSUPP), errors.Is(err, unix.EISDIR), errors.Is(err, unix.EINVAL):
		// A file system without O_TMPFILE, or a kernel older than 3.11.
		return nil, errUnsupported
	case err != nil:
		return nil, err
	}
	f := os.NewFile(uintptr(fd), path)
	if _, err := os.Stat(fdPath(f)); err != nil {
		// No /proc to name the file by.
		f.Close()
		return nil, errUnsupported
	}
	return f, nil
}

// fdPath is the name of f's descriptor in /proc.
func fdPath(f *os.File) string {
	return "/proc/self/fd/" + strconv.FormatUint(uint64(f.Fd()), 10)
}

// link gives the unnamed file f a hidden name next to path and renames it
// over path: the name lives only between the two calls.
func link(f *os.File, path string) error {
	tmp, err := nameNew(path, func(tmp string) error {
		return unix.Linkat(unix.AT_FDCWD, fdPath(f), unix.AT_FDCWD, tmp, unix.AT_SYMLINK_FOLLOW)
	})
	if err != nil {
		return err
	}
	err = os.Rename(tmp, path)
	if err != nil {
		os.Remove(tmp)
	}
	pending.drop(tmp)
	return err
}
