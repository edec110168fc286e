package lazyre

import (
	"fmt"
	"sync"
	"testing"
)

// TestNew checks that the expression is compiled once, on the first call,
// whichever goroutine makes it, and that a bad one panics then, not
// before.
func TestNew(t *testing.T) {
	re := New(`^[a-z]+(\d+)$`)
	var wg sync.WaitGroup
	got := make([]any, 8)
	for i := range got {
		wg.Go(func() { got[i] = re() })
	}
	wg.Wait()
	for i := range got {
		if got[i] != got[0] {
			t.Fatalf("call %d compiled the expression again", i)
		}
	}
	if m := re().FindStringSubmatch("abc42"); len(m) != 2 || m[1] != "42" {
		t.Errorf("submatch %q, want 42", m)
	}
	bad := New(`(`) // no panic yet
	defer func() {
		if recover() == nil {
			t.Error("a bad expression did not panic on its first use")
		}
	}()
	bad()
}

func ExampleNew() {
	code := New(`^[A-Z]{3}$`) // not compiled yet
	fmt.Println(code().MatchString("KAZ"), code().MatchString("kaz"))
	// Output: true false
}
