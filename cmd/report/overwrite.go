package main

import (
	"os"
	"path/filepath"
)

// refuseInputAsOutput returns a usage error when out, a file the command
// is about to replace (given as shown), is one of its inputs, whatever the
// name it is given by: an output replaces its file whole, and the inputs
// of a run are never modified. Standard output ("" or "-"), a file that
// does not exist yet, and a device or pipe (written to, not replaced)
// pass.
func refuseInputAsOutput(shown, out string, inputs []string) error {
	if out == "" || out == "-" {
		return nil
	}
	ost, err := os.Stat(out)
	if err != nil || !ost.Mode().IsRegular() {
		return nil
	}
	for _, in := range inputs {
		if in == "" || in == "-" {
			continue
		}
		if ist, err := os.Stat(in); err == nil && os.SameFile(ost, ist) {
			if in == out {
				return usageError("%s: it is an input of this run, and would be replaced; write the output elsewhere", shown)
			}
			return usageError("%s: it is %s, an input of this run, and would be replaced; write the output elsewhere", shown, in)
		}
	}
	return nil
}

// inputPaths lists the files a command reads: the data files named, and
// the rules file, given or found next to the first of them, followed by
// extra (a mapping, a spec, a previous release).
func inputPaths(names []string, f *inputFlags, extra ...string) []string {
	out := append([]string(nil), names...)
	switch {
	case f == nil || f.noRules:
	case f.rules != "":
		out = append(out, f.rules)
	case len(names) > 0 && names[0] != "-":
		out = append(out, filepath.Join(filepath.Dir(names[0]), "rules.yaml"))
	}
	return append(out, extra...)
}
