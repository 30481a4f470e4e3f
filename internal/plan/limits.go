package plan

import (
	"fmt"
	"math"
	"strconv"
)

// Bounds of what the planner builds, whatever numbers a contract holds.
// Generators write maxLength: 2147483647 where a field has no limit, and a
// value built to such a number would take gigabytes before anything is
// sent. A value these bounds do not allow is not built: the scenario that
// needs it is skipped, and its reason names the bound. The README lists
// them under "Limits and hostile targets".
const (
	// MaxValueLength is the longest string, in characters, the planner
	// builds: a value is "apiconform" or a value of its pattern, padded
	// to its minLength up to this bound. A minLength above it leaves no
	// value to build; a "longer than maxLength" value is built only for
	// a maxLength below it (65,535, a common column size, is tested).
	MaxValueLength = 65536
	// MaxItems is the most items of an array the planner builds, for a
	// minItems.
	MaxItems = 1024
	// MaxBodyBytes bounds the size, as JSON, of a value the planner
	// builds from a schema, a request body above all. A body the contract
	// writes as an example is sent as it is written.
	MaxBodyBytes = 1 << 20
)

// jsonSize estimates the size of a value written as JSON, counting at most
// to limit: the walk stops there, so a value whose arrays share their
// items (as built ones do) costs no more than limit steps to measure.
// Escapes are not counted; the estimate bounds memory, it does not
// predict bytes.
func jsonSize(v any, limit int) int {
	n := 0
	var walk func(v any) bool
	walk = func(v any) bool {
		switch x := v.(type) {
		case string:
			n += len(x) + 2
		case map[string]any:
			n += 2
			for k, val := range x {
				n += len(k) + 4
				if n > limit || !walk(val) {
					return false
				}
			}
		case []any:
			n += 2
			for _, val := range x {
				n++
				if n > limit || !walk(val) {
					return false
				}
			}
		case float64:
			n += len(strconv.FormatFloat(x, 'g', -1, 64))
		case nil:
			n += 4
		default:
			n += len(fmt.Sprint(x))
		}
		return n <= limit
	}
	walk(v)
	return n
}

// The bounds, as the reasons of skipped scenarios name them.
var (
	stringBound = fmt.Sprintf("apiconform builds strings of at most %d characters", MaxValueLength)
	arrayBound  = fmt.Sprintf("apiconform builds arrays of at most %d items", MaxItems)
	sizeBound   = fmt.Sprintf("apiconform builds values of at most %d bytes as JSON", MaxBodyBytes)
)

// finite tells whether a number built from a contract's bound can be sent:
// one step past the largest float is infinity, which no parameter takes.
func finite(v float64) bool { return !math.IsInf(v, 0) && !math.IsNaN(v) }
