package conformance

// OPTIONS on each path.
func init() {
	registerFamily("method.options", family{Title: "OPTIONS"})
}
