package fitcli

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Duration is the value of a wall-time flag (--time-limit of fit, solve and bench quality): a Go
// duration ("90s", "10m", "1h30m") or a plain number of seconds ("90", "2.5").
// Both commands took one of the two forms only; a user who learnt one should not meet an error
// with the other.
type Duration struct{ D *time.Duration }

func (d Duration) String() string {
	if d.D == nil {
		return "0s"
	}
	return d.D.String()
}

func (d Duration) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		secs, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || math.IsNaN(secs) || math.IsInf(secs, 0) || secs*float64(time.Second) > math.MaxInt64 {
			return fmt.Errorf("%q is not a duration: give one such as 90s, 10m or 1h30m, or a number of seconds", s)
		}
		v = time.Duration(secs * float64(time.Second))
	}
	*d.D = v // a negative value is refused by the command, naming the flag, as other bad settings
	return nil
}

// Type names the value in the help.
func (d Duration) Type() string { return "duration" }
