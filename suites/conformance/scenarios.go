package conformance

// The extra scenarios a contract defines in x-conformance.
func init() {
	registerFamily("scenario", family{Title: "contract scenarios"})
}
