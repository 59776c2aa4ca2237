package netconfcore

import (
	"strconv"

	"github.com/beevik/etree"

	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/filter"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

var (
	getParams       = withWD(base("filter"))
	getConfigParams = withWD(base("source", "filter"))
)

func withWD(m map[string]string) map[string]string {
	m["with-defaults"] = WithDefaultsNamespace
	return m
}

func opGet(c *call) error {
	p, err := paramsOf(c.op, getParams)
	if err != nil {
		return err
	}
	snap, err := c.sess.srv.store.Operational(c.ctx)
	if snap == nil {
		return err
	}
	c.reply.errs = append(c.reply.errs, rpcerror.Errors(err)...) // warnings
	return c.data(p, snap, false)
}

func opGetConfig(c *call) error {
	p, err := paramsOf(c.op, getConfigParams)
	if err != nil {
		return err
	}
	src, err := p.datastore("source", false, datastore.Running, datastore.Candidate, datastore.Startup)
	c.target = string(src.name)
	if err != nil {
		return err
	}
	return c.data(p, c.sess.srv.snapshot(src.name), true)
}

// data sets a <data> reply with snap, filtered by the filter parameter and
// written in the with-defaults mode asked for.
func (c *call) data(p params, snap *tree.Tree, configOnly bool) error {
	wd, err := enumParam(p, "with-defaults", tree.ParseWithDefaults)
	if err != nil {
		return err
	}
	if f := p["filter"]; f != nil {
		if snap, err = c.filter(f, snap); err != nil {
			return err
		}
	}
	c.reply.data = snap
	c.reply.opts = tree.WriteOptions{Defaults: wd, ConfigOnly: configOnly}
	return nil
}

// filter applies a <filter> element (RFC 6241 §6, §8.9). type and select
// are unqualified attributes; base-namespace qualified ones, as RFC 5277
// examples write them, are accepted too.
func (c *call) filter(f *etree.Element, snap *tree.Tree) (*tree.Tree, error) {
	typ := "subtree"
	var sel *etree.Attr
	for i := range f.Attr {
		a := &f.Attr[i]
		if a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") {
			continue
		}
		if a.Space != "" && a.NamespaceURI() != rpcerror.BaseNamespace {
			continue
		}
		switch a.Key {
		case "type":
			typ = a.Value
		case "select":
			sel = a
		default:
			return nil, rpcerror.UnknownAttributeError(rpcerror.TypeProtocol, a.Key, "filter")
		}
	}
	switch typ {
	case "subtree":
		return filter.Subtree(c.ctx, snap, f)
	case "xpath":
		if sel == nil {
			return nil, rpcerror.MissingAttributeError(rpcerror.TypeProtocol, "select", "filter")
		}
		return filter.XPath(c.ctx, snap, sel.Value, namespacesInScope(f))
	}
	return nil, rpcerror.BadAttributeError(rpcerror.TypeProtocol, "type", "filter",
		"filter type must be subtree or xpath, not "+strconv.Quote(typ))
}

// namespacesInScope returns the namespace declarations in scope on el,
// the default namespace under "".
func namespacesInScope(el *etree.Element) map[string]string {
	ns := map[string]string{}
	var chain []*etree.Element
	for e := el; e != nil; e = e.Parent() {
		chain = append(chain, e)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for _, a := range chain[i].Attr {
			switch {
			case a.Space == "xmlns":
				ns[a.Key] = a.Value
			case a.Space == "" && a.Key == "xmlns":
				ns[""] = a.Value
			}
		}
	}
	return ns
}

var editParams = base("target", "default-operation", "test-option", "error-option", "config", "url")

func opEditConfig(c *call) error {
	p, err := paramsOf(c.op, editParams)
	if err != nil {
		return err
	}
	target, err := p.datastore("target", false, datastore.Running, datastore.Candidate)
	c.target = string(target.name)
	if err != nil {
		return err
	}
	var opts datastore.EditOptions
	if opts.DefaultOperation, err = enumParam(p, "default-operation", parseDefaultOperation); err != nil {
		return err
	}
	if opts.TestOption, err = enumParam(p, "test-option", datastore.ParseTestOption); err != nil {
		return err
	}
	if opts.ErrorOption, err = enumParam(p, "error-option", datastore.ParseErrorOption); err != nil {
		return err
	}
	if p["url"] != nil {
		return rpcerror.New(rpcerror.TypeProtocol, rpcerror.OperationNotSupported,
			"the :url capability is not supported").WithInfo(rpcerror.Info{BadElement: "url"})
	}
	config, err := p.require("config")
	if err != nil {
		return err
	}
	return c.write(target.name, func(store *datastore.Store) error {
		return store.Edit(c.ctx, target.name, config, opts)
	})
}

func parseDefaultOperation(s string) (datastore.Operation, bool) {
	op, ok := datastore.ParseOperation(s)
	return op, ok && (op == datastore.Merge || op == datastore.Replace || op == datastore.None)
}

var copyParams = base("target", "source")

func opCopyConfig(c *call) error {
	p, err := paramsOf(c.op, copyParams)
	if err != nil {
		return err
	}
	all := []datastore.Name{datastore.Running, datastore.Candidate, datastore.Startup}
	target, err := p.datastore("target", false, all...)
	if err != nil {
		return err
	}
	src, err := p.datastore("source", true, all...)
	if err != nil {
		return err
	}
	c.target = string(target.name)
	if src.name == target.name {
		return rpcerror.New(rpcerror.TypeProtocol, rpcerror.InvalidValue,
			"source and target are both %s", target.name).WithInfo(rpcerror.Info{BadElement: "source"})
	}
	var snap *tree.Tree
	if src.config != nil {
		if snap, err = c.sess.srv.store.ParseConfig(src.config); err != nil {
			return err
		}
	}
	return c.write(target.name, func(store *datastore.Store) error {
		if snap == nil {
			snap = store.Snapshot(src.name)
		}
		if target.name != datastore.Candidate {
			if err := store.Validate(c.ctx, snap); err != nil {
				return err
			}
		}
		return store.Replace(c.ctx, target.name, snap)
	})
}

var targetOnly = base("target")

func opDeleteConfig(c *call) error {
	p, err := paramsOf(c.op, targetOnly)
	if err != nil {
		return err
	}
	target, err := p.datastore("target", false, datastore.Startup)
	c.target = string(target.name)
	if err != nil {
		return err
	}
	return c.write(target.name, func(store *datastore.Store) error {
		return store.Reset(c.ctx, target.name)
	})
}

func (c *call) lockTarget() (datastore.Name, error) {
	p, err := paramsOf(c.op, targetOnly)
	if err != nil {
		return "", err
	}
	target, err := p.datastore("target", false, datastore.Running, datastore.Candidate, datastore.Startup)
	c.target = string(target.name)
	return target.name, err
}

func opLock(c *call) error {
	name, err := c.lockTarget()
	if err != nil {
		return err
	}
	srv := c.sess.srv
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if h := srv.lockHolder(name); h != 0 {
		return rpcerror.LockDeniedError(h)
	}
	if name == datastore.Candidate && datastore.Differs(srv.snapshot(datastore.Candidate), srv.snapshot(datastore.Running)) {
		return rpcerror.LockDeniedError(0).WithMessage("the candidate has uncommitted changes; commit or discard them first")
	}
	if cc := srv.confirm; name == datastore.Running && cc != nil && cc.owner != c.sess.id {
		return rpcerror.LockDeniedError(cc.owner).WithMessage("a confirmed commit is pending")
	}
	srv.locks[name] = c.sess.id
	return nil
}

func opUnlock(c *call) error {
	name, err := c.lockTarget()
	if err != nil {
		return err
	}
	srv := c.sess.srv
	srv.mu.Lock()
	defer srv.mu.Unlock()
	switch h := srv.lockHolder(name); h {
	case 0:
		return rpcerror.New(rpcerror.TypeProtocol, rpcerror.OperationFailed, "the %s datastore is not locked", name)
	case c.sess.id:
	default:
		return rpcerror.New(rpcerror.TypeProtocol, rpcerror.OperationFailed,
			"the %s datastore is locked by session %d, not by this session", name, h)
	}
	delete(srv.locks, name)
	if name == datastore.Candidate {
		srv.discardCandidate(c.ctx)
	}
	return nil
}

func opCloseSession(c *call) error {
	if _, err := paramsOf(c.op, nil); err != nil {
		return err
	}
	c.sess.closing = true
	c.reply.ends = true
	return nil
}

func opKillSession(c *call) error {
	p, err := paramsOf(c.op, base("session-id"))
	if err != nil {
		return err
	}
	if _, err := p.require("session-id"); err != nil {
		return err
	}
	n, _, err := uintParam(p, "session-id", 1, 1<<32-1)
	if err != nil {
		return err
	}
	id := uint32(n)
	if id == c.sess.id {
		return rpcerror.New(rpcerror.TypeProtocol, rpcerror.InvalidValue,
			"a session cannot kill itself; use close-session").WithInfo(rpcerror.Info{BadElement: "session-id"})
	}
	srv := c.sess.srv
	srv.mu.Lock()
	victim := srv.sessions[id]
	srv.mu.Unlock()
	if victim == nil {
		return rpcerror.New(rpcerror.TypeProtocol, rpcerror.InvalidValue,
			"no session %d", id).WithInfo(rpcerror.Info{BadElement: "session-id"})
	}
	srv.log.Info("session killed", "session", id, "by", c.sess.id)
	victim.end(c.ctx, EndKilled)
	return nil
}

func opDiscardChanges(c *call) error {
	if _, err := paramsOf(c.op, nil); err != nil {
		return err
	}
	c.target = string(datastore.Candidate)
	return c.write(datastore.Candidate, func(store *datastore.Store) error {
		return store.Replace(c.ctx, datastore.Candidate, store.Snapshot(datastore.Running))
	})
}

// write runs change on the datastores under the server lock, after
// checking that no other session holds a lock on name, so that the check
// and the change are atomic with respect to lock.
func (c *call) write(name datastore.Name, change func(*datastore.Store) error) error {
	srv := c.sess.srv
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if err := srv.checkWritable(c.sess.id, name); err != nil {
		return err
	}
	return change(srv.store)
}

func opValidate(c *call) error {
	p, err := paramsOf(c.op, base("source"))
	if err != nil {
		return err
	}
	src, err := p.datastore("source", true, datastore.Running, datastore.Candidate, datastore.Startup)
	c.target = string(src.name)
	if err != nil {
		return err
	}
	snap := c.sess.srv.snapshot(src.name)
	if src.config != nil {
		if snap, err = c.sess.srv.store.ParseConfig(src.config); err != nil {
			return err
		}
	}
	return c.sess.srv.store.Validate(c.ctx, snap)
}
