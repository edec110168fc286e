package main

import (
	"os"
	"path/filepath"
	"strings"
)

// refuseInputAsOutput returns a usage error when out, a file the command
// is about to replace (given as shown), is one of its inputs, whatever the
// name it is given by: an output replaces its file whole, and the inputs
// of a run are never modified. A directory is refused too, before any
// work is done: a file cannot replace it. Standard output ("" or "-"), a
// file that does not exist yet, and a device or pipe (written to, not
// replaced) pass. Standard input ("-") is an input too when it is a file
// (report import - -o t.csv < t.csv).
func refuseInputAsOutput(e *env, shown, out string, inputs []string) error {
	if out == "" || out == "-" {
		return nil
	}
	ost, err := os.Stat(out)
	if err != nil {
		return nil
	}
	if ost.IsDir() {
		return usageError("%s: it is a directory, which a file cannot replace", shown)
	}
	if !ost.Mode().IsRegular() {
		return nil
	}
	for _, in := range inputs {
		var ist os.FileInfo
		switch {
		case in == "":
			continue
		case in == "-":
			f, ok := e.stdin.(*os.File)
			if !ok {
				continue
			}
			if ist, err = f.Stat(); err != nil {
				continue
			}
			in = "standard input"
		default:
			if ist, err = os.Stat(in); err != nil {
				continue
			}
		}
		if os.SameFile(ost, ist) {
			if in == out {
				return usageError("%s: it is an input of this run, and would be replaced; write the output elsewhere", shown)
			}
			return usageError("%s: it is %s, an input of this run, and would be replaced; write the output elsewhere", shown, in)
		}
	}
	return nil
}

// refuseFileAsDir returns a usage error when dir, the directory a command
// writes its files into (given as shown), is a file: told before any work
// is done, where making the directory would fail after it. A directory
// that does not exist yet passes.
func refuseFileAsDir(shown, dir string) error {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return usageError("%s: it is a file, not a directory to write into", shown)
	}
	return nil
}

// inputPaths lists the files a command reads: the data files named (or
// the default one when none is), and the rules file, given or found next
// to the first of them, followed by extra (a mapping, a spec, a previous
// release).
func inputPaths(names []string, f *inputFlags, extra ...string) []string {
	if len(names) == 0 {
		names = []string{defaultInput}
	}
	out := append([]string(nil), names...)
	switch {
	case f == nil || f.noRules:
	case f.rules != "":
		out = append(out, f.rules)
	case names[0] != "-":
		out = append(out, filepath.Join(filepath.Dir(names[0]), "rules.yaml"))
	}
	return append(out, extra...)
}

// typed returns the flag long, whose shorthand is short ("" for none), as
// the command line args last spelled it: "-o" or "--out", so that a message
// names the flag the user wrote. A flag not typed, which has its default,
// is named by its long form. The args after "--" are not flags, and the
// value after a flag without "=" is not one either.
func typed(args []string, long, short string) string {
	spelled := "--" + long
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return spelled
		case a == "--"+long:
			spelled = a
			i++ // its value
		case strings.HasPrefix(a, "--"+long+"="):
			spelled = "--" + long
		case short != "" && a == "-"+short:
			spelled = a
			i++
		case short != "" && strings.HasPrefix(a, "-"+short) && !strings.HasPrefix(a, "--"):
			spelled = "-" + short // -oX or -o=X
		}
	}
	return spelled
}

// findingsFor returns e, or a copy of it whose standard output is its
// standard error when out, a workbook's output, is standard output: the
// findings printed before the workbook would be read as its first bytes.
func (e *env) findingsFor(out string) *env {
	if !e.isStdout(out) {
		return e
	}
	cp := *e
	cp.stdout = e.stderr
	return &cp
}

// isStdout tells whether out, the file a command is asked to write, is
// standard output: "-", /dev/stdout, /dev/fd/1, /proc/self/fd/1, or a path
// to the very file (or pipe) standard output is. Such an output is written
// to the command's standard output, and the lines that say what was
// written go to standard error: written through the path, the output and
// those lines would share one stream, the lines after the output or over
// its start.
func (e *env) isStdout(out string) bool {
	switch filepath.Clean(out) {
	case "-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1":
		return true
	}
	if e.outFile == nil || out == "" {
		return false
	}
	ost, err := e.outFile.Stat()
	if err != nil {
		return false
	}
	pst, err := os.Stat(out)
	return err == nil && os.SameFile(ost, pst)
}
