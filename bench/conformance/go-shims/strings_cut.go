// Added to a copy of Go 1.19's GOROOT by bench/conformance/build.sh (Debian 12 ships Go 1.19;
// runtime-tools and its vendored moby/sys/capability call these Go 1.20/1.21 functions).
package strings

// CutPrefix (Go 1.20) for Go 1.19.
func CutPrefix(s, prefix string) (after string, found bool) {
	if !HasPrefix(s, prefix) {
		return s, false
	}
	return s[len(prefix):], true
}
