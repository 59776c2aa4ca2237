package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ncsoap/ncsoap/gen"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

// Datastore names a configuration datastore, a URL (the :url capability)
// or, as the source of copy-config and validate, an inline
// configuration.
type Datastore struct {
	name   string // "running", "candidate", "startup"; "" for url and config
	url    string
	config []byte
}

// The conventional configuration datastores.
var (
	Running   = Datastore{name: "running"}
	Candidate = Datastore{name: "candidate"}
	Startup   = Datastore{name: "startup"}
)

// URL names the configuration at u (the :url capability).
func URL(u string) Datastore { return Datastore{url: u} }

// Inline is a configuration given in the request, the source of
// CopyConfig and Validate: config is the content of the <config>
// element, top-level data nodes with their namespaces declared.
func Inline(config []byte) Datastore { return Datastore{config: config} }

// String returns the datastore name, the URL, or "inline".
func (d Datastore) String() string {
	switch {
	case d.name != "":
		return d.name
	case d.url != "":
		return d.url
	case d.config != nil:
		return "inline"
	}
	return "none"
}

// errNoDatastore is returned for the zero Datastore.
var errNoDatastore = errors.New("netconf: no datastore given")

func (d Datastore) valid() error {
	if d.name == "" && d.url == "" && d.config == nil {
		return errNoDatastore
	}
	return nil
}

func (d Datastore) datastore() *gen.DatastoreType {
	var t gen.DatastoreType
	switch d.name {
	case "running":
		t.Running = &gen.EmptyType{}
	case "candidate":
		t.Candidate = &gen.EmptyType{}
	case "startup":
		t.Startup = &gen.EmptyType{}
	}
	return &t
}

func (d Datastore) source() *gen.SourceType {
	s := gen.SourceType{URL: gen.AnyURI(d.url)}
	switch {
	case d.name == "running":
		s.Running = &gen.EmptyType{}
	case d.name == "candidate":
		s.Candidate = &gen.EmptyType{}
	case d.name == "startup":
		s.Startup = &gen.EmptyType{}
	case d.config != nil:
		s.Config = &gen.ConfigInlineType{InnerXML: string(d.config)}
	}
	return &s
}

func (d Datastore) onlyNamed() error {
	if d.name == "" {
		return errors.New("netconf: " + d.String() + " is not a datastore name")
	}
	return nil
}

// Filter selects what <get> and <get-config> return (RFC 6241 §6, §8.9).
type Filter struct {
	xml string // the <filter> element
}

// Subtree is a subtree filter: content is the filter's children, with
// their namespaces declared.
func Subtree(content []byte) Filter {
	return Filter{xml: `<filter type="subtree">` + string(content) + `</filter>`}
}

// XPath is an XPath filter (the :xpath capability) selecting expr, whose
// prefixes namespaces maps to namespace URIs.
func XPath(expr string, namespaces map[string]string) Filter {
	b := []byte(`<filter type="xpath"`)
	for _, p := range slices.Sorted(maps.Keys(namespaces)) {
		b = append(b, " xmlns:"+p+`="`...)
		b = appendEscaped(b, namespaces[p])
		b = append(b, '"')
	}
	b = append(b, ` select="`...)
	b = appendEscaped(b, expr)
	return Filter{xml: string(append(b, `"/>`...))}
}

// WithDefaultsMode is a with-defaults retrieval mode (RFC 6243).
type WithDefaultsMode string

// The with-defaults modes.
const (
	ReportAll       WithDefaultsMode = "report-all"
	ReportAllTagged WithDefaultsMode = "report-all-tagged"
	Trim            WithDefaultsMode = "trim"
	Explicit        WithDefaultsMode = "explicit"
)

// GetOption modifies a Get or GetConfig request.
type GetOption func(*getOptions)

type getOptions struct {
	filter   string
	defaults WithDefaultsMode
}

// WithFilter restricts the reply to what f selects.
func WithFilter(f Filter) GetOption { return func(o *getOptions) { o.filter = f.xml } }

// WithDefaults asks for default values to be reported as mode says.
func WithDefaults(mode WithDefaultsMode) GetOption {
	return func(o *getOptions) { o.defaults = mode }
}

func (o *getOptions) extra(opts []GetOption) string {
	for _, opt := range opts {
		opt(o)
	}
	s := o.filter
	if o.defaults != "" {
		s += `<with-defaults xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults">` + string(o.defaults) + `</with-defaults>`
	}
	return s
}

// Get returns the <data> element of a <get>: the running configuration
// and state data. The element declares every namespace it depends on.
func (s *Session) Get(ctx context.Context, opts ...GetOption) ([]byte, error) {
	var b bytes.Buffer
	err := s.GetTo(ctx, &b, opts...)
	return b.Bytes(), err
}

// GetTo is Get writing the <data> element to w as it arrives.
func (s *Session) GetTo(ctx context.Context, w io.Writer, opts ...GetOption) error {
	var o getOptions
	return s.call(ctx, &gen.RPC{Get: &gen.Get{InnerXML: o.extra(opts)}}, w)
}

// GetConfig returns the <data> element of a <get-config> of source. The
// element declares every namespace it depends on.
func (s *Session) GetConfig(ctx context.Context, source Datastore, opts ...GetOption) ([]byte, error) {
	var b bytes.Buffer
	err := s.GetConfigTo(ctx, &b, source, opts...)
	return b.Bytes(), err
}

// GetConfigTo is GetConfig writing the <data> element to w as it
// arrives, for replies too large to hold.
func (s *Session) GetConfigTo(ctx context.Context, w io.Writer, source Datastore, opts ...GetOption) error {
	if err := source.onlyNamed(); err != nil {
		return err
	}
	var o getOptions
	return s.call(ctx, &gen.RPC{GetConfig: &gen.GetConfig{Source: source.datastore(), InnerXML: o.extra(opts)}}, w)
}

// DefaultOperation is the default-operation of edit-config.
type DefaultOperation string

// The default operations.
const (
	Merge   DefaultOperation = "merge"
	Replace DefaultOperation = "replace"
	None    DefaultOperation = "none"
)

// TestOption is the test-option of edit-config (the :validate
// capability).
type TestOption string

// The test options.
const (
	TestThenSet TestOption = "test-then-set"
	Set         TestOption = "set"
	TestOnly    TestOption = "test-only"
)

// ErrorOption is the error-option of edit-config.
type ErrorOption string

// The error options.
const (
	StopOnError     ErrorOption = "stop-on-error"
	ContinueOnError ErrorOption = "continue-on-error"
	RollbackOnError ErrorOption = "rollback-on-error"
)

// EditOption modifies an EditConfig request.
type EditOption func(*gen.EditConfig)

// WithDefaultOperation sets the default-operation.
func WithDefaultOperation(op DefaultOperation) EditOption {
	return func(e *gen.EditConfig) { v := gen.DefaultOperationType(op); e.DefaultOperation = &v }
}

// WithTestOption sets the test-option.
func WithTestOption(opt TestOption) EditOption {
	return func(e *gen.EditConfig) { v := gen.TestOptionType(opt); e.TestOption = &v }
}

// WithErrorOption sets the error-option.
func WithErrorOption(opt ErrorOption) EditOption {
	return func(e *gen.EditConfig) { v := gen.ErrorOptionType(opt); e.ErrorOption = &v }
}

// EditConfig applies config, the content of the <config> element, to
// target. Operations on data nodes are given with the base:1.0
// "operation" attribute, its prefix declared in config.
func (s *Session) EditConfig(ctx context.Context, target Datastore, config []byte, opts ...EditOption) error {
	if err := target.onlyNamed(); err != nil {
		return err
	}
	ds := target.datastore()
	op := &gen.EditConfig{
		Target: &gen.EditTargetType{Candidate: ds.Candidate, Running: ds.Running},
		Config: &gen.ConfigInlineType{InnerXML: string(config)},
	}
	if ds.Startup != nil {
		op.Target = nil
		return s.call(ctx, &gen.RPC{InnerXML: editStartup(op, opts)}, nil)
	}
	for _, o := range opts {
		o(op)
	}
	return s.call(ctx, &gen.RPC{EditConfig: op}, nil)
}

// editStartup writes an edit-config of startup, which the schema's
// target type lacks.
func editStartup(op *gen.EditConfig, opts []EditOption) string {
	for _, o := range opts {
		o(op)
	}
	var b strings.Builder
	b.WriteString(`<edit-config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><target><startup/></target>`)
	if op.DefaultOperation != nil {
		b.WriteString("<default-operation>" + string(*op.DefaultOperation) + "</default-operation>")
	}
	if op.TestOption != nil {
		b.WriteString("<test-option>" + string(*op.TestOption) + "</test-option>")
	}
	if op.ErrorOption != nil {
		b.WriteString("<error-option>" + string(*op.ErrorOption) + "</error-option>")
	}
	b.WriteString("<config>" + op.Config.InnerXML + "</config></edit-config>")
	return b.String()
}

// CopyConfig replaces target with source.
func (s *Session) CopyConfig(ctx context.Context, target, source Datastore) error {
	if err := target.valid(); err != nil {
		return err
	}
	if err := source.valid(); err != nil {
		return err
	}
	ds := target.datastore()
	op := &gen.CopyConfig{
		Target: &gen.CopyTargetType{Candidate: ds.Candidate, Running: ds.Running, Startup: ds.Startup, URL: gen.AnyURI(target.url)},
		Source: source.source(),
	}
	return s.call(ctx, &gen.RPC{CopyConfig: op}, nil)
}

// DeleteConfig deletes target, which cannot be running.
func (s *Session) DeleteConfig(ctx context.Context, target Datastore) error {
	if err := target.valid(); err != nil {
		return err
	}
	if target.name != "" && target.name != "startup" {
		return s.call(ctx, &gen.RPC{InnerXML: `<delete-config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><target><` + target.name + `/></target></delete-config>`}, nil)
	}
	ds := target.datastore()
	op := &gen.DeleteConfig{Target: &gen.DeleteTargetType{Startup: ds.Startup, URL: gen.AnyURI(target.url)}}
	return s.call(ctx, &gen.RPC{DeleteConfig: op}, nil)
}

// Lock locks target for this session.
func (s *Session) Lock(ctx context.Context, target Datastore) error {
	if err := target.onlyNamed(); err != nil {
		return err
	}
	return s.call(ctx, &gen.RPC{Lock: &gen.Lock{Target: target.datastore()}}, nil)
}

// Unlock releases this session's lock of target.
func (s *Session) Unlock(ctx context.Context, target Datastore) error {
	if err := target.onlyNamed(); err != nil {
		return err
	}
	return s.call(ctx, &gen.RPC{Unlock: &gen.Unlock{Target: target.datastore()}}, nil)
}

// CommitOption modifies a Commit request.
type CommitOption interface{ applyCommit(*gen.Commit) }

// CancelOption modifies a CancelCommit request.
type CancelOption interface{ applyCancel(*gen.CancelCommit) }

type commitFunc func(*gen.Commit)

func (f commitFunc) applyCommit(c *gen.Commit) { f(c) }

// Confirmed makes the commit a confirmed commit (the :confirmed-commit
// capability): it is rolled back unless confirmed by a later commit
// within timeout, or the server's default of 600 s when timeout is 0.
// The timeout is sent in whole seconds, rounded up.
func Confirmed(timeout time.Duration) CommitOption {
	return commitFunc(func(c *gen.Commit) {
		c.Confirmed = &gen.EmptyType{}
		if timeout > 0 {
			secs := gen.ConfirmTimeoutType((timeout + time.Second - 1) / time.Second)
			c.ConfirmTimeout = &secs
		}
	})
}

// Persist makes a confirmed commit survive the end of this session; a
// later commit or cancel-commit from any session confirms or cancels it
// with PersistID(id).
func Persist(id string) CommitOption {
	return commitFunc(func(c *gen.Commit) { c.Persist = id })
}

// PersistIDOption names the persistent confirmed commit a commit confirms
// or a cancel-commit cancels.
type PersistIDOption string

// PersistID confirms or cancels the persistent confirmed commit id.
func PersistID(id string) PersistIDOption { return PersistIDOption(id) }

func (p PersistIDOption) applyCommit(c *gen.Commit) { c.PersistID = string(p) }

func (p PersistIDOption) applyCancel(c *gen.CancelCommit) { c.PersistID = string(p) }

// Commit commits the candidate configuration to running.
func (s *Session) Commit(ctx context.Context, opts ...CommitOption) error {
	op := &gen.Commit{}
	for _, o := range opts {
		o.applyCommit(op)
	}
	return s.call(ctx, &gen.RPC{Commit: op}, nil)
}

// CancelCommit cancels an ongoing confirmed commit.
func (s *Session) CancelCommit(ctx context.Context, opts ...CancelOption) error {
	op := &gen.CancelCommit{}
	for _, o := range opts {
		o.applyCancel(op)
	}
	return s.call(ctx, &gen.RPC{CancelCommit: op}, nil)
}

// DiscardChanges reverts the candidate configuration to running.
func (s *Session) DiscardChanges(ctx context.Context) error {
	// Written as an empty-element tag: yuma123 netconfd answers <ok/> to
	// <discard-changes></discard-changes> but discards nothing.
	return s.call(ctx, &gen.RPC{InnerXML: `<discard-changes xmlns="` + rpcerror.BaseNamespace + `"/>`}, nil)
}

// Validate validates source.
func (s *Session) Validate(ctx context.Context, source Datastore) error {
	if err := source.valid(); err != nil {
		return err
	}
	return s.call(ctx, &gen.RPC{Validate: &gen.Validate{Source: source.source()}}, nil)
}

// KillSession ends session id, releasing its locks.
func (s *Session) KillSession(ctx context.Context, id uint32) error {
	sid := gen.SessionIDType(id)
	return s.call(ctx, &gen.RPC{KillSession: &gen.KillSession{SessionID: &sid}}, nil)
}
