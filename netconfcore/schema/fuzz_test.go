package schema

import "testing"

// FuzzCompilePattern translates arbitrary XSD patterns: errors are fine,
// panics are not.
func FuzzCompilePattern(f *testing.F) {
	for _, p := range []string{`[a-z]+`, `\d{1,3}(\.\d{1,3}){3}`, `\i\c*`, `[^\s]+`, `\p{L}+`, `a-[b]`, `$^.`} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if re, err := CompilePattern(p); err == nil {
			re.MatchString(p)
		}
	})
}

// FuzzCanonical checks values against every leaf type of the example
// schema: a canonical value must be accepted again unchanged.
func FuzzCanonical(f *testing.F) {
	for _, v := range []string{"1500", "-0", "+7", "10.50", "ext:ethernet", "up broadcast", "", "true", "/exif:interfaces", "80", "disabled"} {
		f.Add(v)
	}
	set, err := Load(Options{})
	if err != nil {
		f.Fatal(err)
	}
	var leaves []*Node
	var walk func(n *Node)
	walk = func(n *Node) {
		if n.Type != nil {
			leaves = append(leaves, n)
		}
		for _, c := range n.DataChildren() {
			walk(c)
		}
	}
	for _, n := range set.TopNodes() {
		walk(n)
	}
	resolve := func(p string) (string, bool) {
		switch p {
		case "ext":
			return "urn:ncsoap:params:xml:ns:yang:ncsoap-example-types", true
		case "exif":
			return "urn:ncsoap:params:xml:ns:yang:ncsoap-example-interfaces", true
		}
		return "", p == ""
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, l := range leaves {
			c, err := l.Type.Canonical(v, set, resolve)
			if err != nil {
				continue
			}
			again, err := l.Type.Canonical(c, set, set.PrefixResolver())
			if err != nil || again != c {
				t.Fatalf("%s: canonical %q of %q not stable: %q %v", l.Path(), c, v, again, err)
			}
		}
	})
}
