package act

// pairCases lists the complex activations covered by their own tests.
func pairCases() []string { return []string{"gabor_complex"} }
