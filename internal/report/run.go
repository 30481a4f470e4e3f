package report

import "time"

// Run describes a run for the reports: what was tested, against what, how.
// Every value in it is already redacted.
type Run struct {
	Tool    string `json:"tool"`
	Version string `json:"version"`
	// Contract identifies the contract the run judged by.
	Contract ContractInfo `json:"contract"`
	// Target is the URL the contract's paths were joined to.
	Target string `json:"target"`
	// Config is the run's configuration, flag by flag, secrets redacted.
	Config map[string]string `json:"config"`
	Start  time.Time         `json:"start"`
	// Duration is the run's wall time.
	Duration time.Duration `json:"duration_ns"`
	// Warnings are about the run itself (e.g. TLS verification disabled).
	Warnings []string `json:"warnings,omitempty"`
}

// ContractInfo names a contract in a report.
type ContractInfo struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Version string `json:"version"`
	SHA256  string `json:"sha256"`
	// Source is the file or URL the document came from (a URL without
	// its credentials).
	Source string `json:"source"`
	// Overlays are the overlay files applied to the document before it
	// was loaded, in order; SHA256 is of the result.
	Overlays []string `json:"overlays,omitempty"`
}
