package main

import "golang.org/x/sys/unix"

// tempFileSystem tells of the file system of dir whether it keeps its
// files in memory (tmpfs, ramfs) and the bytes of its blocks in use; ok is
// false when dir cannot be read. A ramfs, and a tmpfs mounted with size=0
// (no limit), count no blocks: what they hold is not known, and used is
// -1.
func tempFileSystem(dir string) (inMemory bool, used int64, ok bool) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return false, 0, false
	}
	switch int64(st.Type) {
	case unix.TMPFS_MAGIC, unix.RAMFS_MAGIC:
		inMemory = true
	}
	if st.Blocks == 0 {
		return inMemory, -1, true
	}
	return inMemory, int64(st.Blocks-st.Bfree) * int64(st.Bsize), true
}
