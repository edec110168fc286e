package reports

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// ordered calls use(i, f(i)) for i from 0 to n-1, in order, on the calling
// goroutine, while f runs on every core for the next batch of items: the
// cells of a sheet are computed side by side and written in order. At most
// two batches of results are held at a time, so batch is small for large
// results. f must be safe for concurrent use. ordered stops at the first
// error of use and returns it.
func ordered[T any](n, batch int, f func(i int) T, use func(i int, v T) error) error {
	if n == 0 {
		return nil
	}
	start := func(lo int) chan []T {
		c := make(chan []T, 1)
		go func() {
			hi := min(lo+batch, n)
			out := make([]T, hi-lo)
			var next atomic.Int64
			next.Store(int64(lo))
			var wg sync.WaitGroup
			for range min(runtime.GOMAXPROCS(0), hi-lo) {
				wg.Go(func() {
					for {
						i := int(next.Add(1) - 1)
						if i >= hi {
							return
						}
						out[i-lo] = f(i)
					}
				})
			}
			wg.Wait()
			c <- out
		}()
		return c
	}
	pending := start(0)
	for lo := 0; lo < n; lo += batch {
		vals := <-pending
		if lo+batch < n {
			pending = start(lo + batch)
		}
		for j, v := range vals {
			if err := use(lo+j, v); err != nil {
				return err
			}
		}
	}
	return nil
}
