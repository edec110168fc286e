package findings

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// encodeStreamed writes doc as a json.Encoder with SetEscapeHTML(false) and
// SetIndent("", "  ") writes it, except that the array at key (doc itself
// when key is ""), which doc holds empty, gets the n elements elem returns,
// encoded one at a time: a report of many findings, each with many rows,
// is never held whole as JSON. The key must name one array of doc.
func encodeStreamed(w io.Writer, doc any, key string, n int, elem func(i int) any) error {
	var head bytes.Buffer
	if err := newEncoder(&head, "").Encode(doc); err != nil {
		return err
	}
	b := head.Bytes()
	// at is where the empty array is, depth the indentation of its line.
	at, depth := 0, 0
	if key != "" {
		mark := []byte(`"` + key + `": []`)
		at = bytes.Index(b, mark)
		if at < 0 || bytes.Contains(b[at+len(mark):], mark) {
			return fmt.Errorf("findings: the document has no single array %q", key)
		}
		depth = at - (bytes.LastIndexByte(b[:at], '\n') + 1)
		at += len(mark) - len("[]")
	} else if !bytes.HasPrefix(b, []byte("[]")) {
		return fmt.Errorf("findings: the document is not an empty array")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(b[:at])
	if n == 0 {
		bw.WriteString("[]")
	} else {
		prefix := strings.Repeat(" ", depth+2)
		var buf bytes.Buffer
		enc := newEncoder(&buf, prefix)
		bw.WriteString("[\n")
		for i := range n {
			buf.Reset()
			if err := enc.Encode(elem(i)); err != nil {
				return err
			}
			bw.WriteString(prefix)
			if _, err := bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))); err != nil {
				return err // w failed: the rest would go nowhere
			}
			if i < n-1 {
				bw.WriteString(",\n")
			}
		}
		bw.WriteString("\n" + prefix[:depth] + "]")
	}
	bw.Write(b[at+len("[]"):])
	return bw.Flush()
}

// newEncoder returns an encoder to w that indents by two spaces after
// prefix and leaves <, > and & as they are.
func newEncoder(w io.Writer, prefix string) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	return enc
}
