package schema

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func exampleResolver(p string) (string, bool) {
	switch p {
	case "ext":
		return nsExt, true
	case "exif":
		return nsIf, true
	case "other":
		return nsExt, true
	}
	return "", p == ""
}

func TestIsCanonical(t *testing.T) {
	s := loadExample(t)
	iface := s.Top(nsIf, "interfaces").Child(nsIf, "interface")
	leaf := func(name string) *Type { return iface.Child(nsIf, name).Type }
	tests := []struct {
		leaf, value string
		want        bool
	}{
		{"mtu", "1500", true},
		{"mtu", "68", true},
		{"mtu", "0", false},     // below the range
		{"mtu", "01500", false}, // leading zero
		{"mtu", "+1500", false},
		{"mtu", " 1500", false},
		{"mtu", "-0", false},
		{"mtu", "70000", false},
		{"mtu", "99999999999999999999999", false},
		{"ifindex", "-0", false},
		{"ifindex", "2147483647", true},
		{"ifindex", "2147483648", false},
		{"name", "eth0", true},
		{"name", "", false}, // length
		{"enabled", "true", true},
		{"enabled", "1", false},
		{"duplex", "full", true},
		{"duplex", "fast", false},
		{"loopback-mode", "", true},
		{"loopback-mode", "x", false},
		{"type", "ext:ethernet", true},
		{"type", "other:ethernet", false}, // valid, but not the canonical prefix
		{"type", "ethernet", false},
		{"type", "ext:nonesuch", false},
		{"type", "nope:ethernet", false},
		{"utilisation-alarm", "50", true},
		{"utilisation-alarm", "050", false},
		{"utilisation-alarm", "disabled", true},
		{"speed", "10.5", false}, // decimal64 is left to Canonical
		{"parent-interface", "eth1", true},
	}
	for _, tt := range tests {
		t.Run(tt.leaf+"="+tt.value, func(t *testing.T) {
			typ := leaf(tt.leaf)
			require.Equal(t, tt.want, typ.IsCanonical(tt.value, s, exampleResolver))
			if tt.want {
				c, err := typ.Canonical(tt.value, s, exampleResolver)
				require.NoError(t, err)
				require.Equal(t, tt.value, c)
			}
		})
	}
}

func TestBoundsOf(t *testing.T) {
	for k := Int8; k <= Uint64; k++ {
		require.Equal(t, intBounds[k], boundsOf(k), k.String())
	}
}

func TestIsCanonicalDoesNotAllocate(t *testing.T) {
	s := loadExample(t)
	iface := s.Top(nsIf, "interfaces").Child(nsIf, "interface")
	mtu, typ := iface.Child(nsIf, "mtu").Type, iface.Child(nsIf, "type").Type
	allocs := testing.AllocsPerRun(100, func() {
		if !mtu.IsCanonical("1500", s, exampleResolver) || !typ.IsCanonical("ext:ethernet", s, exampleResolver) {
			t.Fatal("not canonical")
		}
	})
	require.Zero(t, allocs)
}

// FuzzIsCanonical checks IsCanonical against Canonical on every leaf type
// of the example schema: a value it accepts must come back unchanged.
func FuzzIsCanonical(f *testing.F) {
	for _, v := range []string{"1500", "-0", "+7", "007", "-128", "18446744073709551616", "ext:ethernet", "other:ethernet", "", "true", "full", "eth0", "50"} {
		f.Add(v)
	}
	set, err := Load(Options{})
	if err != nil {
		f.Fatal(err)
	}
	var types []*Type
	var walk func(n *Node)
	walk = func(n *Node) {
		if n.Type != nil {
			types = append(types, n.Type)
		}
		for _, c := range n.DataChildren() {
			walk(c)
		}
	}
	for _, n := range set.TopNodes() {
		walk(n)
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, typ := range types {
			if !typ.IsCanonical(v, set, exampleResolver) {
				continue
			}
			c, err := typ.Canonical(v, set, exampleResolver)
			if err != nil || c != v {
				t.Fatalf("%s: IsCanonical(%q) but Canonical gives %q, %v", typ.Name, v, c, err)
			}
		}
	})
}

func TestClassSeq(t *testing.T) {
	tests := []struct {
		pattern string
		simple  bool
		inputs  []string
	}{
		{`[a-zA-Z][a-zA-Z0-9_./-]*`, true, []string{"eth0", "e", "", "0eth", "eth 0", "eth/0.1", "é"}},
		{`[0-9]+`, true, []string{"", "0", "123", "12a"}},
		{`ab?c`, true, []string{"ac", "abc", "abbc", "a", ""}},
		{`a.c`, true, []string{"abc", "a\nc", "a\rc", "aéc", "ac"}},
		{`[a-z]*[a-z]`, false, []string{"a", "ab", ""}},
		{`a?a`, false, []string{"a", "aa"}},
		{`x*y?x`, false, []string{"x", "xyx"}},
		{`(ab)+`, false, []string{"ab", "abab"}},
		{`a|b`, true, []string{"a", "b", "ab"}},
		{`ab|cd`, false, []string{"ab", "cd"}},
		{`\d{1,3}`, false, []string{"1", "1234"}},
		{`\p{L}+`, false, []string{"abc"}},
		{`[^ ]+`, true, []string{"a b", "ab", "\xff"}},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			re, err := CompilePattern(tt.pattern)
			require.NoError(t, err)
			q := seqOf(re)
			require.Equal(t, tt.simple, q != nil)
			for _, in := range tt.inputs {
				require.Equal(t, re.MatchString(in), matchPattern(re, in), "%q", in)
			}
		})
	}
}

func TestMatchPatternDoesNotAllocate(t *testing.T) {
	re, err := CompilePattern(`[a-zA-Z][a-zA-Z0-9_./-]*`)
	require.NoError(t, err)
	require.NotNil(t, seqOf(re))
	require.Zero(t, testing.AllocsPerRun(100, func() { matchPattern(re, "eth0/1") }))
}

// FuzzClassSeq checks the backtracking-free matcher against the regexp on
// arbitrary patterns and inputs.
func FuzzClassSeq(f *testing.F) {
	for _, p := range []string{`[a-z][a-z0-9]*`, `a?b*c+`, `[^a]x`, `.a`, `[a-c]?[d-f]`, `ab`} {
		f.Add(p, "abc")
	}
	f.Fuzz(func(t *testing.T, pattern, input string) {
		re, err := CompilePattern(pattern)
		if err != nil || seqOf(re) == nil {
			return
		}
		if got, want := matchPattern(re, input), re.MatchString(input); got != want {
			t.Fatalf("pattern %q on %q: %v, regexp says %v", pattern, input, got, want)
		}
	})
}

func BenchmarkMatchPattern(b *testing.B) {
	re, err := CompilePattern(`[a-zA-Z][a-zA-Z0-9_./-]*`)
	require.NoError(b, err)
	for _, bc := range []struct {
		name  string
		match func(string) bool
	}{
		{"regexp", re.MatchString},
		{"seq", func(s string) bool { return matchPattern(re, s) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				bc.match("eth12345")
			}
		})
	}
}
