package kernel

// minParallelWork is the amount of work (roughly multiply-adds or element operations) below
// which splitting across goroutines costs more than it saves.
const minParallelWork = 1 << 16
