//go:build !linux

package main

// adviseHugePages does nothing where transparent huge pages are Linux's
// alone; see hugepages_linux.go.
func adviseHugePages(getenv func(string) string, readFile func(string) ([]byte, error)) (start uintptr, n int) {
	return 0, 0
}
