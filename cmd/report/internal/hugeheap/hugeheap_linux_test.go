package hugeheap

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

func TestGodebugDisablesTHP(t *testing.T) {
	for _, c := range []struct {
		godebug string
		want    bool
	}{
		{"", false},
		{"disablethp=1", true},
		{"disablethp=0", false},
		{"madvdontneed=1,disablethp=1", true},
		{"disablethp=1,madvdontneed=1", true},
		{"disablethp=1,disablethp=0", false}, // the last one wins
		{"disablethp=0,disablethp=1", true},
		{"xdisablethp=1", false},
		{"disablethp", false},
		{"disablethp=2", true},              // any number but 0, as the runtime has it
		{"disablethp=1,disablethp=x", true}, // a value that is not a number is ignored
		{"disablethp=x", false},
	} {
		if got := godebugDisablesTHP(c.godebug); got != c.want {
			t.Errorf("godebugDisablesTHP(%q) = %v, want %v", c.godebug, got, c.want)
		}
	}
}

// system fakes the files advise reads.
func system(thp, overcommit string) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		var s string
		switch name {
		case "/sys/kernel/mm/transparent_hugepage/enabled":
			s = thp
		case "/proc/sys/vm/overcommit_memory":
			s = overcommit
		}
		if s == "" {
			return nil, fs.ErrNotExist
		}
		return []byte(s), nil
	}
}

// TestAdviseHugePagesNot checks the cases where advise leaves the
// heap as it is. (That it does advise is TestAdviseHugePages's, in a
// process of its own.)
func TestAdviseHugePagesNot(t *testing.T) {
	for _, c := range []struct {
		name, godebug, thp, overcommit string
	}{
		{"always", "", "[always] madvise never\n", "0\n"},
		{"never", "", "always madvise [never]\n", "0\n"},
		{"no THP in the kernel", "", "", "0\n"},
		{"strict overcommit", "", "always [madvise] never\n", "2\n"},
		{"overcommit unknown", "", "always [madvise] never\n", ""},
		{"GODEBUG", "disablethp=1", "always [madvise] never\n", "0\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			getenv := func(k string) string {
				if k == "GODEBUG" {
					return c.godebug
				}
				return ""
			}
			if start, n := advise(getenv, system(c.thp, c.overcommit)); start != 0 || n != 0 {
				t.Errorf("advised %d bytes at %#x, want none", n, start)
			}
		})
	}
}

// TestAdviseHugePages checks, in a fresh process as report's own, that the
// range advised is marked for huge pages in the kernel's map of the
// process, and that the heap's next large allocation lands in it: the
// runtime's allocator taking the lowest free addresses is what
// advise counts on. The range is the one the package's initialisation
// advised, where the kernel asks for the advice; elsewhere one advised
// as if it did.
func TestAdviseHugePages(t *testing.T) {
	if os.Getenv("REPORT_HUGEPAGES_CHILD") != "" {
		start, n := Advised()
		if n == 0 {
			start, n = advise(func(string) string { return "" }, system("always [madvise] never\n", "0\n"))
		}
		if start == 0 {
			fmt.Println("refused")
			os.Exit(0)
		}
		// The range is handed back to the kernel as it is collected
		// (all of it but what the packages' initialisation took).
		released := []metrics.Sample{{Name: "/memory/classes/heap/released:bytes"}}
		metrics.Read(released)
		if r := released[0].Value.Uint64(); r < uint64(n)-64<<20 {
			fmt.Printf("released: %d bytes of the %d advised\n", r, n)
			os.Exit(0)
		}
		b := make([]byte, 96<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		at := uintptr(unsafe.Pointer(&b[0]))
		flags, huge, err := mapping(at)
		if err != nil {
			fmt.Println("smaps:", err)
			os.Exit(0)
		}
		fmt.Printf("%d %d %d %d %s\n", start, n, at, huge, flags)
		os.Exit(0)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestAdviseHugePages$")
	cmd.Env = append(os.Environ(), "REPORT_HUGEPAGES_CHILD=1", "GODEBUG=", "GOGC=", "GOMEMLIMIT=")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v: %s", err, out)
	}
	line := strings.TrimSpace(string(out))
	if strings.HasPrefix(line, "released:") {
		t.Fatalf("the range advised is not handed back to the kernel: %s", line)
	}
	if line == "refused" || strings.HasPrefix(line, "smaps:") {
		t.Skipf("the kernel has no transparent huge pages here: %s", line)
	}
	f := strings.SplitN(line, " ", 5)
	if len(f) != 5 {
		t.Fatalf("child said %q", line)
	}
	var v [4]uint64
	for i := range v {
		if v[i], err = strconv.ParseUint(f[i], 10, 64); err != nil {
			t.Fatalf("child said %q: %v", line, err)
		}
	}
	start, n, at, huge := v[0], v[1], v[2], v[3]
	if n != hugeHeap {
		t.Errorf("advised %d bytes, want %d", n, hugeHeap)
	}
	if at < start || at+96<<20 > start+n {
		t.Errorf("96 MB allocated at %#x, outside the range advised [%#x, %#x)", at, start, start+n)
	}
	if !strings.Contains(" "+f[4]+" ", " hg ") {
		t.Errorf("the allocation's mapping has flags %q, want hg (MADV_HUGEPAGE)", f[4])
	}
	t.Logf("AnonHugePages of the allocation's mapping: %d kB", huge)
}

// mapping returns the VmFlags and AnonHugePages (kB) of the mapping of
// this process that holds the address at, from /proc/self/smaps.
func mapping(at uintptr) (flags string, hugeKB uint64, err error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(fields[0], "-"); ok && !strings.HasSuffix(fields[0], ":") {
			l, err1 := strconv.ParseUint(lo, 16, 64)
			h, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				in = uint64(at) >= l && uint64(at) < h
				continue
			}
		}
		if !in {
			continue
		}
		switch fields[0] {
		case "AnonHugePages:":
			if len(fields) > 1 {
				hugeKB, _ = strconv.ParseUint(fields[1], 10, 64)
			}
		case "VmFlags:":
			return strings.Join(fields[1:], " "), hugeKB, nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", 0, err
	}
	return "", 0, errors.New("no mapping holds the address")
}

// TestWithdraw checks, in a child process, that Withdraw takes the advice
// back: Advised tells of none after it, and the heap's next large
// allocation lands in a mapping the kernel backs with pages of 4 KB (nh,
// MADV_NOHUGEPAGE).
func TestWithdraw(t *testing.T) {
	if os.Getenv("REPORT_WITHDRAW_CHILD") != "" {
		if _, n := Advised(); n == 0 {
			fmt.Println("none")
			os.Exit(0)
		}
		Withdraw()
		if start, n := Advised(); start != 0 || n != 0 {
			fmt.Printf("advised after Withdraw: %d bytes at %#x\n", n, start)
			os.Exit(0)
		}
		b := make([]byte, 96<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		flags, huge, err := mapping(uintptr(unsafe.Pointer(&b[0])))
		if err != nil {
			fmt.Println("smaps:", err)
			os.Exit(0)
		}
		fmt.Printf("%d %s\n", huge, flags)
		os.Exit(0)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestWithdraw$")
	cmd.Env = append(os.Environ(), "REPORT_WITHDRAW_CHILD=1", "GODEBUG=", "GOGC=", "GOMEMLIMIT=")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v: %s", err, out)
	}
	line := strings.TrimSpace(string(out))
	switch {
	case line == "none" || strings.HasPrefix(line, "smaps:"):
		t.Skipf("no advice to take back here: %s", line)
	case strings.HasPrefix(line, "advised after"):
		t.Fatal(line)
	}
	huge, flags, _ := strings.Cut(line, " ")
	if !strings.Contains(" "+flags+" ", " nh ") || strings.Contains(" "+flags+" ", " hg ") {
		t.Errorf("the allocation's mapping has flags %q, want nh (MADV_NOHUGEPAGE) and not hg", flags)
	}
	if huge != "0" {
		t.Errorf("the allocation has %s kB of huge pages, want none", huge)
	}
}
