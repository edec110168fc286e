package main

import (
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/tradedesk/report/internal/atomicfile"
)

// stopSignals are the signals after which the process cleans up before it
// dies: an interrupt (Ctrl-C), a closed terminal, a CI job's time limit
// (SIGTERM, before SIGKILL), and a reader that went away (SIGPIPE, as in
// report check --format json big.csv | head).
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGPIPE}

// sweeping is the sweeps of killed runs' directories under way (see
// sweepStale), for tests to wait on.
var sweeping sync.WaitGroup

// withPrivateTemp runs f with a temporary directory of its own, made under
// the one TMPDIR names (or /var/tmp rather than a /tmp in memory, see
// tempParent) and set as TMPDIR while f runs, and returns f's exit code.
// Where that directory keeps its files in memory, and its file system
// tells what it holds, the run's memory limit counts them (see
// tempMemory). Our own temporary files lose their names
// as soon as they are made (internal/tempfile), and outputs are written to
// unnamed files (internal/atomicfile); but excelize spools a large sheet's
// rows to a named file in TMPDIR, which a stopped run would leave there,
// tens of megabytes at a time.
//
// The directory is locked as the live run's while f runs, and the
// directories that earlier runs killed by SIGKILL (or the kernel's
// out-of-memory killer) left in the same place are removed (see lockTemp
// and sweepStale). The directory is removed when f returns, and when one of stopSignals
// comes, together with the named files of outputs not yet written
// (atomicfile.RemovePending): the process then dies of that signal, as it
// would have without the handler, so that a shell or CI runner sees how it
// ended. A signal ignored when the process started (nohup, or SIGINT for a
// job in the background of a script) stays ignored. Where no directory can
// be made (TMPDIR missing), f runs with TMPDIR as it is, and the commands
// report the temporary files they cannot make.
func withPrivateTemp(f func() int) int {
	var handled []os.Signal
	for _, s := range stopSignals {
		if !signal.Ignored(s) {
			handled = append(handled, s)
		}
	}
	// Signals are caught before anything is made, and until all is gone.
	sigs := make(chan os.Signal, 1)
	if len(handled) > 0 {
		signal.Notify(sigs, handled...)
	}
	parent := tempParent(os.LookupEnv, tempFileSystem)
	dir, err := os.MkdirTemp(parent, "report-")
	if err != nil && parent != "" {
		dir, err = os.MkdirTemp("", "report-") // /var/tmp not writable
	}
	old, had := os.LookupEnv("TMPDIR")
	release := func() {}
	if err == nil {
		release = lockTemp(dir)
		// Those of runs killed before they could remove theirs go, on
		// a goroutine of its own: a run does not wait for them.
		sweeping.Go(func() { sweepStale(filepath.Dir(dir), dir) })
		os.Setenv("TMPDIR", dir)
		if f := tempMemory(dir, tempFileSystem); f != nil {
			runTempMemory.Store(&f)
		}
	} else {
		dir = ""
	}
	// cleanup removes what the run made. It runs on one goroutine at a
	// time: the handler's, or the run's once the handler has let go.
	cleanup := func() {
		if dir == "" {
			return
		}
		os.RemoveAll(dir)
		release()
		dir = ""
		runTempMemory.Store(nil)
		tempHeld.Store(0)
		if had {
			os.Setenv("TMPDIR", old)
		} else {
			os.Unsetenv("TMPDIR")
		}
	}
	die := func(s os.Signal) {
		atomicfile.RemovePending()
		cleanup()
		signal.Reset(handled...)
		// Go's runtime lets no SIGPIPE kill the process but one of a
		// write to standard output or error: that one exits as a shell
		// reports the signal.
		if s == syscall.SIGPIPE {
			os.Exit(128 + int(syscall.SIGPIPE))
		}
		if p, err := os.FindProcess(os.Getpid()); err == nil && p.Signal(s) == nil {
			// The signal ends the process; should it not, the exit
			// status tells it the way shells do.
			time.Sleep(time.Second)
		}
		os.Exit(128 + int(s.(syscall.Signal)))
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			die(s) // stopped stays open: the run's goroutine waits to die
		case <-done:
			close(stopped)
		}
	}()
	code := f()
	close(done)
	<-stopped
	cleanup()
	signal.Stop(sigs)
	// A signal that came as f returned is not lost.
	select {
	case s := <-sigs:
		die(s)
	default:
	}
	return code
}
