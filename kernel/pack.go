package kernel

// The packed layouts of the blocked GEMM. A micro-panel holds R lanes (rows of op(A), or columns
// of op(B)) for kq consecutive values of the summation index k, stored k-major: the R values of
// step p are dst[p*R : p*R+R]. Lanes beyond the matrix edge are zero, so the micro-kernel can
// always compute a full tile and simply not store the missing part.

// packGather fills a micro-panel from w ≤ R lanes that are contiguous along k in the source:
// lane r, step p is src[r*ld+p]. This is op(A) = A and op(B) = Bᵀ (a transposing copy).
func packGather(dst, src []float64, ld, w, kq, R int) {
	dst = dst[:kq*R]
	steps, lanes := packGatherFast(dst, src, ld, w, kq, R)
	for r := 0; r < w; r++ {
		p0 := steps // lanes the fast path did are done up to steps
		if r >= lanes {
			p0 = 0
		}
		row := src[r*ld : r*ld+kq]
		for p := p0; p < kq; p++ {
			dst[p*R+r] = row[p]
		}
	}
	if w < R {
		for p := 0; p < kq; p++ {
			clear(dst[p*R+w : p*R+R])
		}
	}
}

// packCopy fills a micro-panel from a source in which the w ≤ R lanes of each step are
// contiguous: lane r, step p is src[p*ld+r]. This is op(A) = Aᵀ and op(B) = B.
func packCopy(dst, src []float64, ld, w, kq, R int) {
	dst = dst[:kq*R]
	if packCopyFast(dst, src, ld, w, kq, R) {
		return
	}
	for p := 0; p < kq; p++ {
		d := dst[p*R : p*R+R]
		copy(d, src[p*ld:p*ld+w])
		if w < R {
			clear(d[w:])
		}
	}
}

// packA packs rows [i0, i0+rows) and steps [p0, p0+kq) of op(A) into ceil(rows/mr) micro-panels.
func packA(dst []float64, a Matrix, tA Transpose, i0, rows, p0, kq, mr int) {
	for ip := 0; ip*mr < rows; ip++ {
		w := min(mr, rows-ip*mr)
		d := dst[ip*kq*mr:]
		i := i0 + ip*mr
		if tA {
			packCopy(d, a.Data[p0*a.Stride+i:], a.Stride, w, kq, mr)
		} else {
			packGather(d, a.Data[i*a.Stride+p0:], a.Stride, w, kq, mr)
		}
	}
}

// packB packs columns [j0, j0+cols) and steps [p0, p0+kq) of op(B) into ceil(cols/nr) micro-panels.
func packB(dst []float64, b Matrix, tB Transpose, p0, kq, j0, cols, nr int) {
	for jp := 0; jp*nr < cols; jp++ {
		w := min(nr, cols-jp*nr)
		d := dst[jp*kq*nr:]
		j := j0 + jp*nr
		if tB {
			packGather(d, b.Data[j*b.Stride+p0:], b.Stride, w, kq, nr)
		} else {
			packCopy(d, b.Data[p0*b.Stride+j:], b.Stride, w, kq, nr)
		}
	}
}
