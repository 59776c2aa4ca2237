// Package datastore holds the NETCONF configuration datastores (running,
// candidate, startup) and the operational view, and implements
// edit-config (RFC 6241 §7.2) and validation over them.
//
// Each datastore is an immutable tree.Tree snapshot behind an atomic
// pointer: readers take a snapshot and never block, writers build the next
// snapshot from the current one and publish it in one step, so nobody ever
// sees a half-applied edit. Writers are serialized by the Store.
//
// Every failure is an *rpcerror.Error or an rpcerror.List carrying the RFC
// 6241 Appendix A error-tag, error-type application, an error-path with its
// prefixes bound, and error-info. Bad leaf values are reported as
// invalid-value (with bad-element naming the leaf); unknown elements as
// unknown-element, elements in an unknown namespace as unknown-namespace,
// and unexpected attributes (an unqualified "operation" included) as
// unknown-attribute.
package datastore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/beevik/etree"

	"github.com/ncsoap/ncsoap/internal/xmlparse"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/schema"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// Name names a datastore.
type Name string

// The configuration datastores of RFC 6241.
const (
	Running   Name = "running"
	Candidate Name = "candidate"
	Startup   Name = "startup"
)

// Backend persists datastores. The storage package's Dir and Memory
// satisfy it; Load returns an error for which Options.IsNotFound reports
// true when the datastore was never saved.
type Backend interface {
	Load(ctx context.Context, name string) (io.ReadCloser, error)
	// Save atomically replaces the stored datastore with what write
	// produces.
	Save(ctx context.Context, name string, write func(io.Writer) error) error
}

// Options configure a Store.
type Options struct {
	// Backend persists running and startup after every change and loads
	// them at Open. Nil keeps everything in memory. A Backend that is also
	// a Journal gets small changes appended to a journal beside the
	// datastore instead of the whole datastore rewritten; the datastore is
	// rewritten, and its journal restarted, when the journal outgrows it.
	Backend Backend
	// IsNotFound reports whether an error from Backend.Load means that
	// nothing was saved yet. Nil means errors.Is(err, fs.ErrNotExist),
	// which is what the storage package's backends return.
	IsNotFound func(error) bool
	// Initial is loaded into running and startup when the backend has
	// nothing saved (or there is no backend): a <config> element, for
	// example schema.SampleConfig().
	Initial []byte
	// Exprs evaluates must and when expressions during validation. Nil
	// skips must and when checks.
	Exprs ExprEvaluator
}

// StateFunc returns state data for <get>: an element whose children are
// top-level data nodes (like <data>), config false nodes included. It is
// merged over the running configuration.
type StateFunc func(ctx context.Context) (*etree.Element, error)

// Store is a set of datastores over one schema.
type Store struct {
	set   *schema.Set
	opts  Options
	mu    sync.Mutex // serializes writers
	snaps map[Name]*atomic.Pointer[tree.Tree]
	// journals holds the journal state of running and startup; see
	// Journal.
	journals map[Name]*journal

	stateMu sync.RWMutex
	state   map[int]StateFunc
	nextID  int

	// valid holds, per datastore, the last content known to be valid
	// (guarded by mu); lastValid the last snapshot Validate found valid.
	// Edit validates incrementally from either.
	valid     map[Name]*tree.Tree
	lastValid atomic.Pointer[tree.Tree]
	depsOnce  sync.Once
	deps      *depIndex
}

// Open creates a store for set, loading running and startup from the
// backend when there is one.
func Open(ctx context.Context, set *schema.Set, opts Options) (*Store, error) {
	s := &Store{set: set, opts: opts, snaps: map[Name]*atomic.Pointer[tree.Tree]{}, state: map[int]StateFunc{},
		journals: map[Name]*journal{Running: {}, Startup: {}}}
	empty := tree.New(set)
	initial := empty
	if len(opts.Initial) > 0 {
		doc, err := xmlparse.Parse(opts.Initial, xmlparse.Options{})
		if err != nil {
			return nil, fmt.Errorf("datastore: initial configuration: %w", err)
		}
		t, err := s.ParseConfig(doc.Root())
		if err != nil {
			return nil, fmt.Errorf("datastore: initial configuration: %w", err)
		}
		initial = t
	}
	for _, n := range []Name{Running, Candidate, Startup} {
		s.snaps[n] = &atomic.Pointer[tree.Tree]{}
		s.snaps[n].Store(initial)
	}
	if opts.Backend != nil {
		for _, n := range []Name{Running, Startup} {
			t, err := s.load(ctx, n)
			if err != nil {
				return nil, err
			}
			if t != nil {
				s.snaps[n].Store(t)
			}
		}
		s.snaps[Candidate].Store(s.Snapshot(Running))
	}
	// Validating running once here lets Edit validate only what changes
	// from then on; content that does not validate (a schema changed since
	// it was saved, say) is still loaded, and edits validate it in full.
	s.valid = map[Name]*tree.Tree{}
	if t := s.Snapshot(Running); s.Validate(ctx, t) == nil {
		s.valid[Running] = t
	}
	return s, nil
}

// Schema returns the schema of the store.
func (s *Store) Schema() *schema.Set { return s.set }

func (s *Store) ptr(name Name) (*atomic.Pointer[tree.Tree], error) {
	p := s.snaps[name]
	if p == nil {
		return nil, rpcerror.New(rpcerror.TypeProtocol, rpcerror.InvalidValue, "unknown datastore %q", name)
	}
	return p, nil
}

// Snapshot returns the current content of datastore name, or nil for an
// unknown name. The snapshot never changes.
func (s *Store) Snapshot(name Name) *tree.Tree {
	p := s.snaps[name]
	if p == nil {
		return nil
	}
	return p.Load()
}

// Differs reports whether two snapshots hold different data, for example
// whether the candidate has uncommitted changes. Shared subtrees compare
// by pointer, so the cost is in proportion to the differences.
func Differs(a, b *tree.Tree) bool { return !a.Equal(b) }

// Edit applies an edit-config <config> element to datastore name.
//
// The edit is atomic for stop-on-error and rollback-on-error: on any error
// the datastore is left unchanged. With continue-on-error the elements
// that failed are skipped, the rest is applied, and the errors are returned
// as an rpcerror.List. With test-then-set (the default) a running target is
// validated in full before the change is published; a candidate is only
// checked for schema conformance (it is validated at commit).
// test-only validates the result in full and discards it.
func (s *Store) Edit(ctx context.Context, name Name, config *etree.Element, opts EditOptions) error {
	p, err := s.ptr(name)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	cur := p.Load()
	ed := &editor{set: s.set, opt: opts.ErrorOption}
	root := ed.apply(cur.Root(), config, opts.DefaultOperation)
	if len(ed.errs) > 0 && opts.ErrorOption != ContinueOnError {
		return listOrOne(ed.errs)
	}
	next := cur.WithRoot(root)
	full := opts.TestOption == TestOnly || (opts.TestOption == TestThenSet && name != Candidate)
	if full {
		if err := s.validateEdit(ctx, name, cur, next, opts.TestOption != TestOnly); err != nil {
			return err
		}
	}
	if opts.TestOption == TestOnly {
		return listOrOne(ed.errs)
	}
	if err := s.publish(ctx, name, p, next); err != nil {
		return err
	}
	return listOrOne(ed.errs)
}

func listOrOne(l rpcerror.List) error {
	switch len(l) {
	case 0:
		return nil
	case 1:
		return l[0]
	}
	return l
}

// ParseConfig builds a snapshot from a <config> element (inline config of
// copy-config and validate). Nothing is stored; the result is checked
// against the schema but not validated (use Validate).
func (s *Store) ParseConfig(config *etree.Element) (*tree.Tree, error) {
	ed := &editor{set: s.set}
	empty := tree.New(s.set)
	root := ed.apply(empty.Root(), config, Merge)
	if len(ed.errs) > 0 {
		return nil, listOrOne(ed.errs)
	}
	return empty.WithRoot(root), nil
}

// Replace makes snap the content of datastore name (copy-config, commit,
// discard-changes, rollback). snap must come from this store's schema.
func (s *Store) Replace(ctx context.Context, name Name, snap *tree.Tree) error {
	p, err := s.ptr(name)
	if err != nil {
		return err
	}
	if snap.Schema() != s.set {
		return errors.New("datastore: snapshot of another schema")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.publish(ctx, name, p, snap)
}

// Reset empties datastore name (delete-config of startup).
func (s *Store) Reset(ctx context.Context, name Name) error {
	return s.Replace(ctx, name, tree.New(s.set))
}

// publish stores next as datastore name, persisting it first for
// persistent datastores. The caller holds s.mu.
func (s *Store) publish(ctx context.Context, name Name, p *atomic.Pointer[tree.Tree], next *tree.Tree) error {
	if cur := p.Load(); s.opts.Backend != nil && name != Candidate && !cur.Equal(next) {
		if err := s.persist(ctx, name, cur, next); err != nil {
			return rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed, "saving %s: %v", name, err)
		}
	}
	p.Store(next)
	return nil
}

// WriteConfig writes a snapshot as a <config> document in the base:1.0
// namespace, with the values a client set (schema defaults left out) and
// no state data: the format Open and ParseConfig read back.
func WriteConfig(w io.Writer, t *tree.Tree) error {
	if _, err := io.WriteString(w, `<config xmlns="`+rpcerror.BaseNamespace+`">`); err != nil {
		return err
	}
	if err := t.WriteXML(w, tree.WriteOptions{Defaults: tree.Explicit, ConfigOnly: true}); err != nil {
		return err
	}
	_, err := io.WriteString(w, "</config>\n")
	return err
}

func (s *Store) load(ctx context.Context, name Name) (*tree.Tree, error) {
	rc, err := s.opts.Backend.Load(ctx, string(name))
	if err != nil {
		if s.isNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("datastore: loading %s: %w", name, err)
	}
	defer rc.Close()
	dg := newDigest()
	doc, err := xmlparse.ParseReader(io.TeeReader(rc, dg), xmlparse.Options{})
	if err != nil {
		return nil, fmt.Errorf("datastore: loading %s: %w", name, err)
	}
	if doc.Root() == nil {
		return nil, fmt.Errorf("datastore: loading %s: empty document", name)
	}
	t, err := s.ParseConfig(doc.Root())
	if err != nil {
		return nil, fmt.Errorf("datastore: loading %s: %w", name, err)
	}
	return s.replay(ctx, name, t, dg.h.Sum(nil), dg.n)
}

// RegisterState adds a provider of state data for Operational and returns
// a function that removes it.
func (s *Store) RegisterState(fn StateFunc) (unregister func()) {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	id := s.nextID
	s.nextID++
	s.state[id] = fn
	return func() {
		s.stateMu.Lock()
		defer s.stateMu.Unlock()
		delete(s.state, id)
	}
}

// Operational returns the data <get> reports: the running configuration
// with the state data of every registered provider merged in. A provider
// that fails, or returns data that does not fit the schema, is left out:
// the tree holds everything else and the error is an rpcerror.List of
// warnings, one a failing provider. A canceled ctx is an error.
func (s *Store) Operational(ctx context.Context) (*tree.Tree, error) {
	t := s.Snapshot(Running)
	s.stateMu.RLock()
	fns := make([]StateFunc, 0, len(s.state))
	for id := 0; id < s.nextID; id++ {
		if fn, ok := s.state[id]; ok {
			fns = append(fns, fn)
		}
	}
	s.stateMu.RUnlock()
	var warnings rpcerror.List
	warn := func(format string, args ...any) {
		e := rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed, format, args...)
		e.Severity = rpcerror.SeverityWarning
		warnings = append(warnings, e)
	}
	for _, fn := range fns {
		el, err := fn(ctx)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			warn("state data left out: its provider failed: %v", err)
			continue
		}
		if el == nil {
			continue
		}
		ed := &editor{set: s.set, state: true}
		root := ed.apply(t.Root(), el, Merge)
		if len(ed.errs) > 0 {
			warn("state data left out: it does not fit the schema: %v", ed.errs[0].Message)
			continue
		}
		t = t.WithRoot(root)
	}
	if len(warnings) > 0 {
		return t, warnings
	}
	return t, nil
}
