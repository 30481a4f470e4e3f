package overlay

// ApplyFiles reads the overlay files and applies them in the order given
// to a document's bytes: the result is the document as YAML, and the
// warnings of actions that selected nothing. source names the document in
// messages.
func ApplyFiles(data []byte, source string, files []string) (out []byte, warnings []string, err error) {
	overlays := make([]*Overlay, 0, len(files))
	// Every overlay is checked before the document is read: a mistake in
	// the last one shows at once.
	for _, f := range files {
		o, err := Read(f)
		if err != nil {
			return nil, nil, err
		}
		overlays = append(overlays, o)
	}
	d, err := ParseDocument(data, source)
	if err != nil {
		return nil, nil, err
	}
	for _, o := range overlays {
		w, err := d.Apply(o)
		warnings = append(warnings, w...)
		if err != nil {
			return nil, warnings, err
		}
	}
	out, err = d.Bytes()
	return out, warnings, err
}
