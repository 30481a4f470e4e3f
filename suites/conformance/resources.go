package conformance

// Ids that cannot exist, and paths the contract does not have.
func init() {
	registerFamily("resource.missing-id", family{Title: "missing resources"})
	registerFamily("resource.unknown-path", family{Title: "missing resources"})
}
