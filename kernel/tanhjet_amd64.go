//go:build amd64 && !purego

package kernel

// The fused tanh jet kernels: AVX-512 (tanhjet_avx512_amd64.s, 8 elements per iteration) and
// AVX2 with FMA (tanhjet_avx2_amd64.s, 4 per iteration); cnt is a multiple of 8 for both.

//go:noescape
func tanhJetFwdAVX512(y, q, z *float64, cnt, stride int, desc *int64)

//go:noescape
func tanhJetBwdAVX512(gr, z, t, q *float64, cnt, stride int, desc *int64)

//go:noescape
func tanhJetFwdAVX2(y, q, z *float64, cnt, stride int, desc *int64)

//go:noescape
func tanhJetBwdAVX2(gr, z, t, q *float64, cnt, stride int, desc *int64)
