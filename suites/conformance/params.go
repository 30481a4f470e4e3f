package conformance

// Missing, mistyped and out-of-range parameters.
func init() {
	registerFamily("params", family{Title: "bad parameters"})
}
