package main

import "golang.org/x/sys/unix"

// tempFileSystem tells of the file system of dir whether it keeps its
// files in memory (tmpfs, ramfs) and the bytes of its blocks in use; ok is
// false when dir cannot be read. A ramfs counts no blocks: what it holds
// is then not known, and used is 0.
func tempFileSystem(dir string) (inMemory bool, used int64, ok bool) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return false, 0, false
	}
	switch int64(st.Type) {
	case unix.TMPFS_MAGIC, unix.RAMFS_MAGIC:
		inMemory = true
	}
	return inMemory, int64(st.Blocks-st.Bfree) * int64(st.Bsize), true
}
