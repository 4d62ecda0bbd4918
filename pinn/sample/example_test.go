package sample_test

import (
	"fmt"

	"github.com/inrstudio/studio/pinn/sample"
)

func Example() {
	space, _ := sample.Interval(-1, 1)
	dom, _ := sample.NewTimeSpace(space, 0, 1)
	walls, _ := sample.NewSet(dom, sample.Boundary, sample.NewSobol(0, false), 4)
	for i := range walls.Len() {
		fmt.Println(walls.Points.At(i), walls.Normals.At(i), dom.Parts()[walls.Parts[i]])
	}
	// Output:
	// [-1 0] [-1 0] lower face x0 = -1
	// [1 0.5] [1 0] upper face x0 = 1
	// [1 0.25] [1 0] upper face x0 = 1
	// [-1 0.75] [-1 0] lower face x0 = -1
}
