// Package schema loads YANG modules and exposes the schema tree that the
// NETCONF data layer validates configuration against.
//
// A Set is built once with Load from the example modules embedded in the
// binary (see Embedded), from user directories, or both; it is immutable and
// safe for concurrent use afterwards. Top-level data nodes are looked up by
// XML namespace and local name with (*Set).Top, their descendants with
// (*Node).Child. Every node carries the properties the data layer needs:
// kind, config, ordered-by, defaults, mandatory, min/max-elements, unique,
// must and when expressions, and for leaves a Type that checks values and
// returns their canonical form.
//
// Choice and case nodes are schema-only: Child looks through them, so that
// the data children of a container are found directly, while Children lists
// them as they are in the schema so that callers can reason about cases.
package schema

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/openconfig/goyang/pkg/yang"
)

// Embedded is the example module set shipped with ncsoap, written for
// zero-configuration starts and tests: ncsoap-example-types,
// ncsoap-example-interfaces, ncsoap-example-users and ncsoap-example-routing,
// plus sample configuration in modules/sample-config.xml.
//
//go:embed modules/*.yang modules/*.xml
var Embedded embed.FS

// SampleConfig returns the embedded sample configuration: a <config> element
// (base:1.0 namespace) whose content is valid against the embedded modules.
func SampleConfig() []byte {
	b, err := Embedded.ReadFile("modules/sample-config.xml")
	if err != nil {
		panic("schema: embedded sample configuration missing: " + err.Error())
	}
	return b
}

// Options selects the modules Load reads.
type Options struct {
	// NoEmbedded leaves out the embedded example modules.
	NoEmbedded bool
	// Dirs are directories searched for .yang files (not recursively). A
	// file may be named NAME.yang or NAME@REVISION.yang.
	Dirs []string
	// Modules names the modules to load from Dirs, with their imports. When
	// empty, every .yang file found in Dirs is loaded.
	Modules []string
}

// Module is one loaded YANG module.
type Module struct {
	Name      string
	Revision  string // latest revision date, "" when the module has none
	Namespace string
	// Prefix is unique within the Set: the module's YANG prefix, followed by
	// a number when an earlier module (by name) already uses that prefix.
	// Canonical identityref and instance-identifier values, error-paths and
	// serialized data use it.
	Prefix string
	// YANGPrefix is the prefix declared by the module itself.
	YANGPrefix string
	// Imports maps the prefixes the module imports to the imported modules,
	// the module's own prefix included; it resolves prefixes in its must,
	// when and path expressions.
	Imports map[string]*Module

	set        *Set
	yang       *yang.Module
	identities map[string]*Identity
}

// Capability returns the NETCONF module capability URI of m as advertised in
// <hello>: NAMESPACE?module=NAME&revision=DATE (the "&" unescaped; XML
// writers escape it).
func (m *Module) Capability() string {
	s := m.Namespace + "?module=" + m.Name
	if m.Revision != "" {
		s += "&revision=" + m.Revision
	}
	return s
}

// Identity is a YANG identity.
type Identity struct {
	Name   string
	Module *Module
	// derived holds every identity derived from this one, transitively.
	derived map[*Identity]bool
}

// QName returns the identity as PREFIX:NAME with its module's own prefix.
func (i *Identity) QName() string { return i.Module.Prefix + ":" + i.Name }

// DerivedFrom reports whether i is derived, directly or not, from base.
func (i *Identity) DerivedFrom(base *Identity) bool { return base.derived[i] }

// Set is an immutable set of loaded modules and their data trees.
type Set struct {
	modules []*Module // sorted by name
	byName  map[string]*Module
	byNS    map[string]*Module
	byPfx   map[string]*Module
	top     map[qname]*Node
	tops    []*Node
}

type qname struct{ ns, name string }

// Modules returns the loaded modules sorted by name. The slice must not be
// modified.
func (s *Set) Modules() []*Module { return s.modules }

// Module returns the module with the given name, or nil.
func (s *Set) Module(name string) *Module { return s.byName[name] }

// ModuleByNamespace returns the module whose XML namespace is ns, or nil.
func (s *Set) ModuleByNamespace(ns string) *Module { return s.byNS[ns] }

// ModuleByPrefix returns the module whose Set-unique Prefix is p, or nil.
func (s *Set) ModuleByPrefix(p string) *Module { return s.byPfx[p] }

// Top returns the top-level data node with namespace ns and local name name,
// or nil. Top-level nodes inside a top-level choice are found too.
func (s *Set) Top(ns, name string) *Node { return s.top[qname{ns, name}] }

// TopNodes returns every top-level data node (choices looked through), in
// module order then schema order. The slice must not be modified.
func (s *Set) TopNodes() []*Node { return s.tops }

// Identity returns the identity name defined by the module with namespace
// ns, or nil.
func (s *Set) Identity(ns, name string) *Identity {
	m := s.byNS[ns]
	if m == nil {
		return nil
	}
	return m.identities[name]
}

// Load reads the modules selected by opts and builds their schema trees. All
// YANG errors (syntax, unresolved imports, bad types) are reported together.
func Load(opts Options) (*Set, error) {
	ms := yang.NewModules()
	if !opts.NoEmbedded {
		err := fs.WalkDir(Embedded, "modules", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yang") {
				return err
			}
			b, err := Embedded.ReadFile(path)
			if err != nil {
				return err
			}
			return ms.Parse(string(b), path)
		})
		if err != nil {
			return nil, fmt.Errorf("schema: embedded modules: %w", err)
		}
	}
	if err := readDirs(ms, opts); err != nil {
		return nil, err
	}
	if errs := ms.Process(); len(errs) > 0 {
		return nil, fmt.Errorf("schema: %w", errors.Join(errs...))
	}
	return build(ms)
}

func readDirs(ms *yang.Modules, opts Options) error {
	files := map[string]string{} // module name -> path
	var order []string
	for _, dir := range opts.Dirs {
		ents, err := os.ReadDir(dir)
		if err != nil {
			return fmt.Errorf("schema: %w", err)
		}
		for _, e := range ents {
			n := e.Name()
			if e.IsDir() || !strings.HasSuffix(n, ".yang") {
				continue
			}
			mod, _, _ := strings.Cut(strings.TrimSuffix(n, ".yang"), "@")
			p := filepath.Join(dir, n)
			if old, ok := files[mod]; ok {
				if filepath.Base(old) >= n { // keep the latest revision
					continue
				}
			} else {
				order = append(order, mod)
			}
			files[mod] = p
		}
	}
	want := opts.Modules
	if len(want) == 0 {
		want = order
	}
	seen := map[string]bool{}
	var read func(name string) error
	read = func(name string) error {
		if seen[name] {
			return nil
		}
		seen[name] = true
		if ms.Modules[name] != nil || ms.SubModules[name] != nil {
			return nil
		}
		p, ok := files[name]
		if !ok {
			return fmt.Errorf("schema: module %q not found in %v", name, opts.Dirs)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("schema: %w", err)
		}
		if err := ms.Parse(string(b), p); err != nil {
			return fmt.Errorf("schema: %w", err)
		}
		for _, dep := range dependencies(ms, name) {
			if err := read(dep); err != nil {
				return err
			}
		}
		return nil
	}
	for _, name := range want {
		if err := read(name); err != nil {
			return err
		}
	}
	return nil
}

// dependencies returns the modules that the parsed module or submodule
// name imports or includes.
func dependencies(ms *yang.Modules, name string) []string {
	m := ms.Modules[name]
	if m == nil {
		m = ms.SubModules[name]
	}
	if m == nil {
		return nil
	}
	var deps []string
	for _, i := range m.Import {
		deps = append(deps, i.Name)
	}
	for _, i := range m.Include {
		deps = append(deps, i.Name)
	}
	return deps
}

func build(ms *yang.Modules) (*Set, error) {
	s := &Set{byName: map[string]*Module{}, byNS: map[string]*Module{}, byPfx: map[string]*Module{}, top: map[qname]*Node{}}
	names := make([]string, 0, len(ms.Modules))
	for name, ym := range ms.Modules {
		if ym.Kind() != "module" || name != ym.Name {
			continue
		}
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ym := ms.Modules[name]
		m := &Module{Name: ym.Name, Revision: ym.Current(), Namespace: ym.Namespace.Name,
			YANGPrefix: ym.GetPrefix(), set: s, yang: ym, identities: map[string]*Identity{}}
		m.Prefix = m.YANGPrefix
		for i := 2; s.byPfx[m.Prefix] != nil; i++ {
			m.Prefix = m.YANGPrefix + strconv.Itoa(i)
		}
		s.byPfx[m.Prefix] = m
		s.modules = append(s.modules, m)
		s.byName[m.Name] = m
		s.byNS[m.Namespace] = m
	}
	for _, m := range s.modules {
		m.Imports = map[string]*Module{m.YANGPrefix: m}
		for _, imp := range m.yang.Import {
			if im := s.byName[imp.Name]; im != nil {
				m.Imports[imp.Prefix.Name] = im
			}
		}
	}
	if err := s.buildIdentities(ms); err != nil {
		return nil, err
	}
	b := &builder{set: s, ms: ms}
	for _, m := range s.modules {
		e := yang.ToEntry(m.yang)
		if errs := e.GetErrors(); len(errs) > 0 {
			return nil, fmt.Errorf("schema: module %s: %w", m.Name, errors.Join(errs...))
		}
		for _, c := range sortedChildren(e) {
			n := b.node(c, nil, m)
			if n == nil {
				continue
			}
			s.addTop(n)
		}
	}
	b.resolveLeafrefs()
	b.applyDefaults()
	if len(b.errs) > 0 {
		return nil, fmt.Errorf("schema: %w", errors.Join(b.errs...))
	}
	return s, nil
}

func (s *Set) addTop(n *Node) {
	if n.Kind == Choice || n.Kind == Case {
		for _, c := range n.Children {
			s.addTop(c)
		}
		return
	}
	n.index = len(s.tops)
	s.top[qname{n.Module.Namespace, n.Name}] = n
	s.tops = append(s.tops, n)
}

func (s *Set) buildIdentities(ms *yang.Modules) error {
	all := map[*yang.Identity]*Identity{}
	for _, m := range s.modules {
		for _, yi := range identitiesOf(m.yang, ms) {
			id := &Identity{Name: yi.Name, Module: m, derived: map[*Identity]bool{}}
			m.identities[yi.Name] = id
			all[yi] = id
		}
	}
	for yi, id := range all {
		for _, d := range yi.Values {
			if did := all[d]; did != nil {
				id.derived[did] = true
			}
		}
	}
	return nil
}

// identitiesOf returns the identities of a module and of its submodules.
func identitiesOf(m *yang.Module, ms *yang.Modules) []*yang.Identity {
	ids := append([]*yang.Identity(nil), m.Identity...)
	for _, inc := range m.Include {
		if sm := ms.SubModules[inc.Name]; sm != nil {
			ids = append(ids, sm.Identity...)
		}
	}
	return ids
}

// PrefixResolver returns a Resolver for the Set-unique module prefixes,
// the prefixes canonical identityref and instance-identifier values use.
func (s *Set) PrefixResolver() Resolver {
	return func(p string) (string, bool) {
		if m := s.byPfx[p]; m != nil {
			return m.Namespace, true
		}
		return "", false
	}
}
