package console

import "io"

// Writer escapes what is written to it (see Escape) on its way to the
// writer it wraps. Each Write is escaped by itself: a character split
// between two writes shows as the escapes of its bytes, which no caller
// that writes whole lines (fmt.Fprintf, io.WriteString) ever does.
type Writer struct {
	w io.Writer
}

// NewWriter wraps w; a Writer is returned as it is.
func NewWriter(w io.Writer) *Writer {
	if cw, ok := w.(*Writer); ok {
		return cw
	}
	return &Writer{w: w}
}

// Write writes p escaped. It reports len(p) written when the escaped text
// was written whole.
func (cw *Writer) Write(p []byte) (int, error) {
	s := Escape(string(p))
	if _, err := io.WriteString(cw.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Raw is the writer under a Writer, for the escape sequences apiconform
// writes itself (the colours of -v, the progress line that rewrites
// itself), and for telling whether it is a terminal; any other writer is
// returned as it is.
func Raw(w io.Writer) io.Writer {
	if cw, ok := w.(*Writer); ok {
		return cw.w
	}
	return w
}
