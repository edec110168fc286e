//go:build !linux

package hugeheap

// advise does nothing where transparent huge pages are Linux's
// alone; see hugeheap_linux.go.
func advise(getenv func(string) string, readFile func(string) ([]byte, error)) (start uintptr, n int) {
	return 0, 0
}
