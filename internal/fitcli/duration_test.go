package fitcli

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDuration: a time limit is a Go duration or a number of seconds, whichever the user writes.
func TestDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"90s": 90 * time.Second, "10m": 10 * time.Minute, "1h30m": 90 * time.Minute, "0": 0,
		"90": 90 * time.Second, "2.5": 2500 * time.Millisecond, "1ms": time.Millisecond, "-1s": -time.Second,
	} {
		var d time.Duration
		require.NoError(t, Duration{&d}.Set(in), in)
		assert.Equal(t, want, d, in)
	}
	for _, in := range []string{"", "ten", "5 minutes", "NaN", "Inf", "1e300"} {
		var d time.Duration
		assert.ErrorContains(t, Duration{&d}.Set(in), "is not a duration: give one such as 90s, 10m or 1h30m, or a number of seconds", in)
	}
}

// TestSolveFlags: the flags given override the problem file, the others leave it alone.
func TestSolveFlags(t *testing.T) {
	f := SolveFlags{Steps: 5, LBFGS: 0, TimeLimit: 90 * time.Second}
	opt, err := f.Options(func(flag string) bool { return flag == "steps" || flag == "time-limit" })
	require.NoError(t, err)
	require.NotNil(t, opt.AdamSteps)
	assert.Equal(t, 5, *opt.AdamSteps)
	assert.Nil(t, opt.LBFGSIterations)
	assert.Nil(t, opt.Seed)
	require.NotNil(t, opt.TimeLimit)
	assert.Equal(t, 90.0, *opt.TimeLimit)
	for _, c := range []struct {
		f    SolveFlags
		flag string
		want string
	}{
		{SolveFlags{Steps: -1}, "steps", "--steps -1: want ≥ 0"},
		{SolveFlags{LBFGS: -2}, "lbfgs", "--lbfgs -2: want ≥ 0"},
		{SolveFlags{TimeLimit: -time.Second}, "time-limit", "--time-limit -1s: need ≥ 0 (0: none)"},
		{SolveFlags{Threads: -1}, "threads", "--threads -1: need ≥ 0"},
	} {
		_, err := c.f.Options(func(flag string) bool { return flag == c.flag })
		assert.ErrorContains(t, err, c.want)
	}
	assert.Equal(t, "runs/heat1d", (&SolveFlags{}).Dir("examples/pde/heat1d.toml"))
	assert.Equal(t, "x", (&SolveFlags{Out: "x"}).Dir("examples/pde/heat1d.toml"))
}
