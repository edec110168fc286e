//go:build !linux

package hugeheap

// advise does nothing where transparent huge pages are Linux's
// alone; see hugeheap_linux.go.
func advise(getenv func(string) string, readFile func(string) ([]byte, error)) (start uintptr, n int) {
	return 0, 0
}

// hugeHeap is the range advise would advise.
const hugeHeap = 512 << 20

// unadvise has nothing to take back where nothing was advised.
func unadvise(start uintptr, n int) {}
