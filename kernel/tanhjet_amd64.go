//go:build amd64 && !purego

package kernel

// The AVX-512 fused tanh jet kernels (tanhjet_avx512_amd64.s); cnt is a multiple of 8.

//go:noescape
func tanhJetFwdAVX512(y, q, z *float64, cnt, stride int, desc *int64)

//go:noescape
func tanhJetBwdAVX512(gr, z, t, q *float64, cnt, stride int, desc *int64)
