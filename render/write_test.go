package render

import (
	"bytes"
	"encoding/csv"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWritePNGRoundTrip(t *testing.T) {
	dir := t.TempDir()
	rgba := checker(7, 5)
	g16, err := FloatImage([]float64{0, 1.0 / 65535, 0.5, 1}, 2, 2, 1, 16)
	require.NoError(t, err)
	for name, img := range map[string]image.Image{"rgba.png": rgba, "gray16.png": g16} {
		path := filepath.Join(dir, name)
		require.NoError(t, WritePNG(path, img))
		f, err := os.Open(path)
		require.NoError(t, err)
		back, err := png.Decode(f)
		f.Close()
		require.NoError(t, err)
		require.Equal(t, img.Bounds(), back.Bounds())
		for y := 0; y < img.Bounds().Dy(); y++ {
			for x := 0; x < img.Bounds().Dx(); x++ {
				require.Equal(t, color.RGBA64Model.Convert(img.At(x, y)), color.RGBA64Model.Convert(back.At(x, y)), "%s (%d, %d)", name, x, y)
			}
		}
	}
	// 16-bit stays 16-bit: the level 1/65535 survives.
	f, err := os.Open(filepath.Join(dir, "gray16.png"))
	require.NoError(t, err)
	back, err := png.Decode(f)
	f.Close()
	require.NoError(t, err)
	assert.Equal(t, uint16(1), back.(*image.Gray16).Gray16At(1, 0).Y)
}

func TestWritePNGFailureLeavesNoFile(t *testing.T) {
	// png.Encode rejects an empty image: the write fails, nothing appears, and no temporary file
	// is left in the directory.
	dir := t.TempDir()
	path := filepath.Join(dir, "out.png")
	err := WritePNG(path, image.NewRGBA(image.Rect(0, 0, 0, 0)))
	require.Error(t, err)
	assert.ErrorContains(t, err, path)
	assert.NoFileExists(t, path)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "temporary file left behind")

	// An existing picture survives a failed rewrite untouched.
	require.NoError(t, WritePNG(path, checker(3, 3)))
	before, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Error(t, WritePNG(path, nil))
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after)
	entries, err = os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1)

	assert.Error(t, EncodePNG(&bytes.Buffer{}, nil))
}

func TestEncodeLossCSV(t *testing.T) {
	var buf bytes.Buffer
	steps := []float64{0, 100, 200, 250.5}
	a, b := 0.1, 0.2 // variables, so that the sum is the rounded float64, not the constant 0.3
	err := EncodeLossCSV(&buf, steps,
		Column{Name: "loss", Values: []float64{1, a + b, 1e-300, math.NaN()}},
		Column{Name: "pde, interior", Values: []float64{2, math.Inf(1), -0.5, 3}})
	require.NoError(t, err)
	assert.Equal(t, "step,loss,\"pde, interior\"\n"+
		"0,1,2\n"+
		"100,0.30000000000000004,+Inf\n"+
		"200,1e-300,-0.5\n"+
		"250.5,NaN,3\n", buf.String())

	// Every value reads back to the same float64.
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 5)
	v, err := strconv.ParseFloat(rows[2][1], 64)
	require.NoError(t, err)
	assert.Equal(t, a+b, v)

	err = EncodeLossCSV(&bytes.Buffer{}, steps, Column{Name: "loss", Values: []float64{1}})
	assert.ErrorContains(t, err, `column "loss" has 1 values for 4 steps`)
	err = EncodeLossCSV(&bytes.Buffer{}, steps, Column{Values: make([]float64, 4)})
	assert.ErrorContains(t, err, "no name")
}

func TestWriteLossCSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "loss.csv")
	require.NoError(t, WriteLossCSV(path, []float64{1, 2}, Column{Name: "loss", Values: []float64{0.5, 0.25}}))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "step,loss\n1,0.5\n2,0.25\n", string(got))

	// A bad table leaves the previous file in place and no temporary file.
	err = WriteLossCSV(path, []float64{1, 2, 3}, Column{Name: "loss", Values: []float64{1}})
	require.Error(t, err)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, got, after)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1)
}
