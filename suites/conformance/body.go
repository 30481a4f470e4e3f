package conformance

// Malformed bodies, missing properties and properties of the wrong type.
func init() {
	registerFamily("body", family{Title: "bad bodies"})
}
