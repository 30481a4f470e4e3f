package conformance

// No credentials, and credentials of the right kind that cannot be valid.
func init() {
	registerFamily("credentials", family{Title: "missing and wrong credentials"})
}
