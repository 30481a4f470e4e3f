package conformance

// A valid body sent with a Content-Type the operation does not declare.
func init() {
	registerFamily("mediatype.wrong", family{Title: "undeclared media types"})
}
