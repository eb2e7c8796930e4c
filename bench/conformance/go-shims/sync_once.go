// Added to a copy of Go 1.19's GOROOT by bench/conformance/build.sh (Debian 12 ships Go 1.19;
// runtime-tools and its vendored moby/sys/capability call these Go 1.20/1.21 functions).
package sync

// OnceValues (Go 1.21) for Go 1.19: runtime-tools' vendored moby/sys/capability calls it.
func OnceValues[T1, T2 any](f func() (T1, T2)) func() (T1, T2) {
	var once Once
	var r1 T1
	var r2 T2
	return func() (T1, T2) {
		once.Do(func() { r1, r2 = f() })
		return r1, r2
	}
}

// OnceValue (Go 1.21) for Go 1.19.
func OnceValue[T any](f func() T) func() T {
	var once Once
	var r T
	return func() T {
		once.Do(func() { r = f() })
		return r
	}
}
