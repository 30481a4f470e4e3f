package conformance

// Unsupported methods: every method a path does not declare.
func init() {
	registerFamily("method.unsupported", family{Title: "unsupported methods"})
}
