package inr

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The parameter counts of reference-psnr.md (and the published ones it cites: SL²A's 330,243,
// SIREN's 198.9K), for a 2→1 (grayscale) and a 2→3 (colour) model. relu_pe is counted at 256²
// (L = 6); WIRE's counts are PyTorch's numel (a complex entry once).
func TestArchitectureParameterCounts(t *testing.T) {
	cases := []struct {
		arch      string
		gray, rgb int
	}{
		{"siren", 198401, 198915},
		{"gauss", 198401, 198915},
		{"finer", 198401, 198915},
		{"relu_pe", 204545, 205059},
		{"relu_ff", 263169, 263683},
		{"spder", 329985, 330499},
		{"sl2a", 329729, 330243},
		{"fkan", 435329, 436355},
		{"cauchy", 201473, 201987},
		{"wire", 99551, 99915},
	}
	for _, c := range cases {
		t.Run(c.arch, func(t *testing.T) {
			for _, k := range []struct{ out, want int }{{1, c.gray}, {3, c.rgb}} {
				cfg, err := ConfigFor(c.arch, nil)
				require.NoError(t, err)
				if a, ok := cfg.(SignalAdapter); ok {
					a.AdaptTo([]int{256, 256})
				}
				m, err := NewModel(c.arch, cfg, 2, k.out, 1)
				require.NoError(t, err)
				require.Equal(t, k.want, TorchParamCount(m.Net), "outputs %d", k.out)
			}
		})
	}
}

// WIRE stores complex weights as real pairs: 543 real first-layer scalars, 3·2·(181²+181) hidden
// and 2·181 + 1 output scalars for one output (the imaginary output bias is dropped: Re() discards it).
func TestWireRealScalarCount(t *testing.T) {
	cfg, err := ConfigFor("wire", nil)
	require.NoError(t, err)
	m, err := NewModel("wire", cfg, 2, 1, 1)
	require.NoError(t, err)
	require.Equal(t, 543+3*2*(181*181+181)+2*181+1, m.NumParams())
}

func TestReluPELevelsFromSignal(t *testing.T) {
	for _, c := range []struct{ side, levels, params int }{{256, 6, 204545}, {128, 5, 203521}, {512, 7, 205569}} {
		cfg, err := ConfigFor("relu_pe", nil)
		require.NoError(t, err)
		cfg.(SignalAdapter).AdaptTo([]int{c.side, c.side / 2})
		require.Equal(t, c.levels, cfg.(*ReluPEConfig).Levels)
		m, err := NewModel("relu_pe", cfg, 2, 1, 0)
		require.NoError(t, err)
		require.Equal(t, c.params, m.NumParams())
	}
	// A value the user set is kept.
	cfg, err := ConfigFor("relu_pe", []byte(`{"levels": 3}`))
	require.NoError(t, err)
	cfg.(SignalAdapter).AdaptTo([]int{256, 256})
	require.Equal(t, 3, cfg.(*ReluPEConfig).Levels)
}
