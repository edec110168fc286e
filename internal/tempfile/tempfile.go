// Package tempfile creates temporary files that leave nothing behind: each
// is removed from its directory as soon as it is created, where the system
// allows it (the data stay while the file is open), so that even a process
// that is killed leaves no file; elsewhere (Windows) it is removed when it
// is closed.
package tempfile

import (
	"errors"
	"os"
)

// File is a temporary file made by Create.
type File struct {
	*os.File
	// path is the name to remove on Close, when the file could not be
	// removed at once.
	path string
}

// Create creates a new temporary file in dir (os.TempDir when dir is ""),
// named after pattern as os.CreateTemp names it, and removes its name.
func Create(dir, pattern string) (*File, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	t := &File{File: f}
	if os.Remove(f.Name()) != nil {
		t.path = f.Name()
	}
	return t, nil
}

// Close closes the file and removes it when Create could not.
func (f *File) Close() error {
	err := f.File.Close()
	if f.path != "" {
		if rerr := os.Remove(f.path); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			err = errors.Join(err, rerr)
		}
		f.path = ""
	}
	return err
}
