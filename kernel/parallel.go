package kernel

// minParallelWork is the amount of work (roughly multiply-adds or element operations) below
// which splitting across goroutines costs more than it saves.
const minParallelWork = 1 << 16

// parallelRows calls fn on disjoint row ranges [r0, r1) covering [0, rows). With more than one
// worker the rows are handed out in small chunks from a shared counter (see parallelFor), so a
// worker whose CPU is busy with another process simply takes fewer chunks (no static halves,
// no spinning barrier). workPerRow sizes the chunks; fn must not depend on which worker runs a
// chunk.
func parallelRows(rows, workPerRow, threads int, fn func(r0, r1 int)) {
	if rows <= 0 {
		return
	}
	total := rows * max(workPerRow, 1)
	if threads <= 1 || total < 2*minParallelWork || rows < 2 {
		fn(0, rows)
		return
	}
	// Chunks of at least minParallelWork, and about 8 per worker for balance.
	chunk := max(minParallelWork/max(workPerRow, 1), rows/(8*threads), 1)
	chunks := (rows + chunk - 1) / chunk
	parallelTasks(chunks, threads, func(_, c int) {
		r0 := c * chunk
		fn(r0, min(r0+chunk, rows))
	})
}
