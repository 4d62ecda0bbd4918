package kernel

import "unsafe"

func unsafePointer(p *float64) unsafe.Pointer { return unsafe.Pointer(p) }
