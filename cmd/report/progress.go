package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// progressBar returns a function that draws the reading of large files,
// the named ones one after another, as a bar on standard error, or nil
// when standard error is not a terminal, a name is not a regular file, or
// the files are small: CI logs, pipes and /dev/null get no bar.
func progressBar(e *env, names ...string) func(int64) {
	f, ok := e.stderr.(*os.File)
	if !ok {
		return nil
	}
	// A terminal, not any character device: /dev/null is one too, which
	// a script's 2>/dev/null would have the bar drawn into. The
	// descriptor is read through SyscallConn, as f.Fd would set it
	// blocking.
	rc, err := f.SyscallConn()
	if err != nil {
		return nil
	}
	tty := false
	if rc.Control(func(fd uintptr) { tty = term.IsTerminal(int(fd)) }) != nil || !tty {
		return nil
	}
	total := int64(0)
	for _, name := range names {
		if r, ok, _ := e.unpack(name); ok {
			total += r.Size() // what the bar counts: the text
			continue
		}
		st, err := os.Stat(name)
		if err != nil || !st.Mode().IsRegular() {
			return nil
		}
		total += st.Size()
	}
	if len(names) == 0 || total < 32<<20 {
		return nil
	}
	what := names[0]
	if len(names) > 1 {
		what = fmt.Sprintf("%d files", len(names))
	}
	return drawProgress(f, what, total)
}

// drawProgress returns a function that draws on w the reading of name
// (a file, or "28 files") of total bytes, and clears the line at its end.
// A reading that starts over (files checked again through temporary
// files, when their rows are not in year order) says that it reads them
// again.
func drawProgress(w io.Writer, name string, total int64) func(int64) {
	var last int64
	what := name
	return func(read int64) {
		if read < last {
			what = name + " again"
		}
		last = read
		const width = 30
		done := int(float64(read) / float64(total) * width)
		done = min(max(done, 0), width)
		fmt.Fprintf(w, "\rreading %s [%s%s] %3d%%", what, strings.Repeat("#", done), strings.Repeat(" ", width-done), read*100/total)
		if read >= total {
			fmt.Fprint(w, "\r\033[K")
		}
	}
}

// withProgress returns r, which calls progress (when not nil) with the
// bytes read so far about every megabyte and at its end.
func withProgress(r io.Reader, progress func(int64)) io.Reader {
	if progress == nil {
		return r
	}
	return &progressReader{r: r, progress: progress}
}

type progressReader struct {
	r          io.Reader
	progress   func(int64)
	read, next int64
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read += int64(n)
	if p.read >= p.next || err == io.EOF {
		p.progress(p.read)
		p.next = p.read + 1<<20
	}
	return n, err
}
