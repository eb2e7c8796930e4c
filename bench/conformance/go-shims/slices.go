// Added to a copy of Go 1.19's GOROOT by bench/conformance/build.sh (Debian 12 ships Go 1.19;
// runtime-tools and its vendored moby/sys/capability call these Go 1.20/1.21 functions).
// Package slices: the two functions runtime-tools' vendored code uses, for Go 1.19.
package slices

func Contains[S ~[]E, E comparable](s S, v E) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func DeleteFunc[S ~[]E, E any](s S, del func(E) bool) S {
	out := s[:0]
	for _, x := range s {
		if !del(x) {
			out = append(out, x)
		}
	}
	return out
}
