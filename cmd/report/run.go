package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
	exitInternal = 3
)

// exitError carries an exit code through cobra; its message, when not
// empty, is printed once as "report: message".
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// exactArgs is cobra.ExactArgs with a message that says what the
// arguments are, what, as the command's usage names them (what), and
// where its help is.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == n {
			return nil
		}
		got := "none"
		if len(args) > 0 {
			got = fmt.Sprintf("%d (%s)", len(args), strings.Join(args, " "))
		}
		return usageError("%s takes %s; got %s\nRun '%s --help' for usage.", cmd.Name(), what, got, cmd.CommandPath())
	}
}

// env is what the commands read from outside: streams and the environment.
type env struct {
	// args is the command line, as run was given it, for messages that
	// name a flag as it was typed (see typed).
	args           []string
	stdin          io.Reader
	stdout, stderr io.Writer
	// outFile is standard output when it is a file of the process (a
	// pipe, a terminal, a file the shell opened), to tell an output path
	// that names it (see isStdout); nil otherwise.
	outFile *os.File
	getenv  func(string) string
	// memory tells the memory the process may still use; nil means
	// unknown.
	memory func() (int64, bool)
	// spool is standard input as a file, once it had to be read again
	// (see spoolStdin); copies of an env share it.
	spool *spooled
	// reads, when not nil, hashes the input files as they are read (see
	// readLog): a command that writes what it read sets it.
	reads *readLog
	// packed holds the decompressed copies of compressed inputs (see
	// unpack); copies of an env share it.
	packed *unpacked
}

// run executes the command line args and returns the exit code. It never
// panics: a panic is reported as an internal error with exit code 3. A
// pipe on standard input is widened first (see widenPipe).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	if f, ok := stdin.(*os.File); ok {
		widenPipe(f)
	}
	return runEnv(args, &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: osGetenv, memory: memoryAvailable})
}

func runEnv(args []string, e *env) (code int) {
	// Findings can run to many thousands of lines: buffer standard output
	// and flush it before returning, whatever happens.
	out := bufio.NewWriterSize(e.stdout, 64<<10)
	defer out.Flush()
	outFile, _ := e.stdout.(*os.File)
	e = &env{args: args, stdin: e.stdin, stdout: out, outFile: outFile, stderr: e.stderr, getenv: e.getenv, memory: e.memory, spool: &spooled{}, packed: &unpacked{}}
	defer e.spool.close()
	defer e.packed.close()
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(e.stderr, "report: internal error: %v\n%s", r, debug.Stack())
			code = exitInternal
		}
	}()
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	cmd, err := root.ExecuteC()
	if err == nil {
		return exitOK
	}
	if errors.Is(err, syscall.EPIPE) {
		// The reader of the output went away (report check … | head):
		// nothing to say, and the exit status of death by SIGPIPE.
		return 128 + int(syscall.SIGPIPE)
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(e.stderr, "report: %v\n", ee.err)
		}
		return ee.code
	}
	// Errors from cobra itself: unknown commands and flags.
	fmt.Fprintf(e.stderr, "report: %v\n", err)
	if strings.Contains(err.Error(), "unknown") || strings.Contains(err.Error(), "flag") || strings.Contains(err.Error(), "arg") {
		fmt.Fprintf(e.stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	return exitUsage
}

func newRootCmd(e *env) *cobra.Command {
	var f defaultFlags
	root := &cobra.Command{
		Use:   "report",
		Short: "Check trade and FDI figures, then chart and publish them",
		Long: `report checks bilateral trade and foreign-direct-investment figures against
each other (exports + imports = turnover, months add up to the year, parts are
not larger than the whole, article claims hold), and writes the charts and the
quarterly workbook that publish them.

Without a command it checks data/trade.csv (or, when that file is not there,
the seed figures built into the binary) and writes the outputs into out/.`,
		Version:       toolVersion(),
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDefault(e, &f)
		},
	}
	f.register(root)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: fmt.Errorf("%v\nRun '%s --help' for usage.", err, c.CommandPath())}
	})
	for _, sub := range subcommands {
		root.AddCommand(sub(e))
	}
	return root
}

// subcommands are the constructors of the subcommands; each subcommand's
// file adds its own in an init function, so that commands stay in files of
// their own.
var subcommands []func(*env) *cobra.Command
