package live

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/inr"
)

func TestNumJSONRoundTrip(t *testing.T) {
	for _, v := range []float64{0, -1.5, 1e-300, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN()} {
		b, err := json.Marshal(num(v))
		require.NoError(t, err)
		var got num
		require.NoError(t, json.Unmarshal(b, &got), "%s", b)
		if math.IsNaN(v) {
			assert.True(t, math.IsNaN(float64(got)))
		} else {
			assert.Equal(t, v, float64(got), "%s", b)
		}
	}
	b, err := json.Marshal(numMap{"psnr": math.Inf(1), "loss": 0.25})
	require.NoError(t, err)
	assert.JSONEq(t, `{"loss":0.25,"psnr":"+Inf"}`, string(b))
	var m numMap
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, numMap{"psnr": math.Inf(1), "loss": 0.25}, m)
	assert.Error(t, json.Unmarshal([]byte(`"fast"`), new(num)))
}

func testFields(step int) []inr.Field {
	img := make([]float64, 6*4*3)
	for i := range img {
		img[i] = float64(i) / float64(len(img))
	}
	sc := make([]float64, 5*3)
	for i := range sc {
		sc[i] = math.Sin(float64(i)) * 1e-9 * float64(step+1)
	}
	sc[7] = math.NaN()
	return []inr.Field{
		{Name: "reconstruction", Kind: inr.FieldImage, W: 6, H: 4, C: 3, Data: img, X0: -1, X1: 1, Y0: -1, Y1: 1, Label: "reconstruction"},
		{Name: "residual", Kind: inr.FieldSigned, W: 5, H: 3, C: 1, Data: sc, X0: 0, X1: 2, Y0: -1, Y1: 1, Label: "f", T: math.NaN()},
	}
}

func TestFieldsRoundTrip(t *testing.T) {
	in := testFields(3)
	var buf bytes.Buffer
	require.NoError(t, encodeFields(&buf, in))
	// 8 magic + 4 count + per field 4 + JSON + 4 bytes per value.
	assert.Less(t, buf.Len(), 8+4+2*(4+200)+4*(72+15))
	out, err := decodeFields(&buf)
	require.NoError(t, err)
	require.Len(t, out, 2)
	for i := range in {
		a, b := in[i], out[i]
		assert.Equal(t, [3]int{a.W, a.H, a.C}, [3]int{b.W, b.H, b.C})
		assert.Equal(t, a.Name, b.Name)
		assert.Equal(t, a.Kind, b.Kind)
		assert.Equal(t, a.Label, b.Label)
		assert.Equal(t, [4]float64{a.X0, a.X1, a.Y0, a.Y1}, [4]float64{b.X0, b.X1, b.Y0, b.Y1})
		assert.Equal(t, math.IsNaN(a.T), math.IsNaN(b.T))
		for k := range a.Data {
			if math.IsNaN(a.Data[k]) {
				assert.True(t, math.IsNaN(b.Data[k]))
				continue
			}
			// float32 storage: relative rounding at most 2⁻²⁴.
			assert.InDelta(t, a.Data[k], b.Data[k], math.Abs(a.Data[k])*0x1p-24, "field %s value %d", a.Name, k)
		}
	}
}

func TestFieldsRejectsBadInput(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, encodeFields(&buf, testFields(0)))
	good := buf.Bytes()
	cases := map[string][]byte{
		"empty":     nil,
		"magic":     append([]byte("NOTLIVE!"), good[8:]...),
		"truncated": good[:len(good)-3],
		"count":     append(append([]byte(fieldsMagic), 0xff, 0xff, 0xff, 0x7f), good[12:]...),
		"huge":      hugeFieldClaim(),
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := decodeFields(bytes.NewReader(b))
			assert.Error(t, err)
		})
	}
	bad := testFields(0)
	bad[0].Data = bad[0].Data[:5]
	assert.Error(t, encodeFields(&bytes.Buffer{}, bad))
}

// hugeFieldClaim is a fields file whose one field claims 30000×30000×3 values.
func hugeFieldClaim() []byte {
	meta := []byte(`{"name":"x","kind":"image","w":30000,"h":30000,"c":3,"x0":0,"x1":1,"y0":0,"y1":1,"t":0}`)
	b := append([]byte(fieldsMagic), 1, 0, 0, 0, byte(len(meta)), 0, 0, 0)
	return append(b, meta...)
}

func TestHistoryMergesEvaluationsAndFreezes(t *testing.T) {
	var h History
	h.add(row{Step: 1, Loss: 0.5, Phase: "adam"})
	h.add(row{Step: 2, Loss: 0.4, Phase: "adam"})
	early := h.frozen()
	// The evaluation of the weights after 2 updates comes under step 2 with the next loss.
	h.add(row{Step: 2, Loss: 0.3, Metrics: numMap{"psnr": 20}})
	h.add(row{Step: 3, Loss: 0.3, Terms: numMap{"residual": 0.2}})
	h.add(row{Step: 4, Loss: 0.1, Terms: numMap{"residual": 0.05, "boundary": 0.01}})
	h.add(row{Step: 5, Loss: 0.05, Phase: "lbfgs"})
	h.add(row{Step: 5, Loss: 0.05, Phase: "done"})
	assert.Equal(t, []Phase{{Name: "adam", After: 0}, {Name: "lbfgs", After: 4}}, h.Phases)
	assert.Equal(t, []float64{1, 2, 3, 4, 5}, h.Step)
	assert.Equal(t, []float64{0.5, 0.4, 0.3, 0.1, 0.05}, h.Loss)
	assert.Equal(t, Series{Step: []float64{2}, Value: []float64{20}}, h.Metrics["psnr"])
	res, bnd := h.Terms["residual"], h.Terms["boundary"]
	require.Len(t, res, 5)
	require.Len(t, bnd, 5)
	for i, want := range []float64{math.NaN(), math.NaN(), 0.2, 0.05, math.NaN()} {
		if math.IsNaN(want) {
			assert.True(t, math.IsNaN(res[i]), "residual[%d] = %v", i, res[i])
		} else {
			assert.Equal(t, want, res[i])
		}
	}
	assert.Equal(t, 0.01, bnd[3])
	assert.True(t, math.IsNaN(bnd[2]) && math.IsNaN(bnd[4]))
	// What was handed out before is unchanged.
	assert.Equal(t, []float64{1, 2}, early.Step)
	assert.Equal(t, []float64{0.5, 0.4}, early.Loss)
	assert.Nil(t, early.Metrics)
}
