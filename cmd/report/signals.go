package main

import (
	"os"
	"os/signal"
	"syscall"
	"time"
)

// stopSignals are the signals after which the process cleans up before it
// dies: an interrupt (Ctrl-C), a closed terminal, and a CI job's time
// limit (SIGTERM, before SIGKILL).
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGHUP, syscall.SIGTERM}

// withPrivateTemp runs f with a temporary directory of its own, made under
// the one TMPDIR names and set as TMPDIR while f runs, and returns f's exit
// code. Our own temporary files lose their names as soon as they are made
// (internal/tempfile), and outputs are written to unnamed files
// (internal/atomicfile); but excelize spools a large sheet's rows to a
// named file in TMPDIR, which a stopped run would leave there, tens of
// megabytes at a time. The directory is removed when f returns, and when
// one of stopSignals comes: the process then dies of that signal, as it
// would have without the handler, so that a shell or CI runner sees how it
// ended. Where no directory can be made (TMPDIR missing), f runs as it is,
// and the commands report the temporary files they cannot make.
func withPrivateTemp(f func() int) int {
	dir, err := os.MkdirTemp("", "report-")
	if err != nil {
		return f()
	}
	old, had := os.LookupEnv("TMPDIR")
	os.Setenv("TMPDIR", dir)
	// A signal ignored when the process started (nohup, or SIGINT for a
	// job in the background of a script) stays ignored.
	var handled []os.Signal
	for _, s := range stopSignals {
		if !signal.Ignored(s) {
			handled = append(handled, s)
		}
	}
	sigs := make(chan os.Signal, 1)
	if len(handled) > 0 {
		signal.Notify(sigs, handled...)
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case s := <-sigs:
			os.RemoveAll(dir)
			signal.Reset(handled...)
			if p, err := os.FindProcess(os.Getpid()); err == nil && p.Signal(s) == nil {
				// The signal ends the process; should it not, the
				// exit status tells it the way shells do.
				time.Sleep(time.Second)
			}
			os.Exit(128 + int(s.(syscall.Signal)))
		case <-done:
		}
	}()
	code := f()
	signal.Stop(sigs)
	close(done)
	<-stopped
	if had {
		os.Setenv("TMPDIR", old)
	} else {
		os.Unsetenv("TMPDIR")
	}
	os.RemoveAll(dir)
	return code
}
