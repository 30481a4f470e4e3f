package conformance

// The happy paths of safe methods; those of unsafe methods are in the
// writes lifecycles.
func init() {
	registerFamily("success", family{Title: "happy paths"})
}
