package inr

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
)

func TestSirenParameterCount(t *testing.T) {
	cfg, err := ConfigFor("siren", nil)
	require.NoError(t, err)
	for _, c := range []struct{ out, want int }{{1, 198401}, {3, 198915}} {
		m, err := NewModel("siren", cfg, 2, c.out, 0)
		require.NoError(t, err)
		require.Equal(t, c.want, m.NumParams(), "the reference's SIREN count")
	}
}

func TestConfigOverrides(t *testing.T) {
	cfg, err := ConfigFor("siren", json.RawMessage(`{"width": 64, "first_omega": 20}`))
	require.NoError(t, err)
	require.Equal(t, 64, cfg.(*SirenConfig).Width)
	require.Equal(t, 20.0, cfg.(*SirenConfig).FirstOmega)
	require.Equal(t, 30.0, cfg.(*SirenConfig).HiddenOmega)

	_, err = ConfigFor("siren", json.RawMessage(`{"widht": 64}`))
	require.ErrorContains(t, err, "widht")
	require.NoError(t, SetOption("siren", cfg, "hidden_layers", "2"))
	require.Equal(t, 2, cfg.(*SirenConfig).Hidden)
	err = SetOption("siren", cfg, "omega", "3")
	require.ErrorContains(t, err, "first_omega", "the message lists the settings")
	_, err = ConfigFor("sirne", nil)
	require.ErrorContains(t, err, "unknown model \"sirne\"")
	require.ErrorContains(t, err, "siren")
}

func TestModelFileRoundTrip(t *testing.T) {
	for _, arch := range []string{"siren", "mlp"} {
		cfg, err := ConfigFor(arch, nil)
		require.NoError(t, err)
		m, err := NewModel(arch, cfg, 2, 3, 7)
		require.NoError(t, err)
		m.Norm, err = RangeNormalization("pm1", 3)
		require.NoError(t, err)
		path := filepath.Join(t.TempDir(), "model.safetensors")
		require.NoError(t, m.Save(path, "test", nil))
		back, err := LoadModel(path)
		require.NoError(t, err)
		require.Equal(t, m.Norm, back.Norm)

		x := kernel.NewMatrix(50, 2)
		for i := range x.Data {
			x.Data[i] = float64(i%17)/8 - 1
		}
		a, b := kernel.NewMatrix(50, 3), kernel.NewMatrix(50, 3)
		require.NoError(t, m.Predict(x, a))
		require.NoError(t, back.Predict(x, b))
		require.Equal(t, a.Data, b.Data, "%s: the rebuilt model must be bit-identical", arch)
	}
}
