package netconfcore

import (
	"bufio"
	"context"
	"io"
	"sync"

	"github.com/beevik/etree"

	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// Reply is the answer to one rpc. Its content is fixed when Do returns;
// data is streamed from an immutable snapshot when the reply is written,
// so writing a large reply holds no lock and builds no document.
type Reply struct {
	sess   *Session
	attrs  []etree.Attr // the attributes of <rpc>, echoed
	prefix string       // prefix of base:1.0 elements, "" for the default namespace
	errs   RPCErrors
	data   *tree.Tree // nil: <ok/>
	opts   tree.WriteOptions
	nodes  []*tree.Node // top-level nodes of data to write; nil means all
	ends   bool
	once   sync.Once
}

// Errors returns every rpc-error of the reply, warnings included.
func (r *Reply) Errors() RPCErrors { return r.errs }

// Err returns the reply's rpc-errors as an RPCErrors list when at least one
// has severity error, and nil otherwise: a reply with warnings only
// still carries <ok/> or <data>.
func (r *Reply) Err() error {
	if r.errs.HasErrors() {
		return r.errs
	}
	return nil
}

// EndsSession reports whether the session ends once this reply is written
// (the reply to close-session). Done is closed when WriteTo returns.
func (r *Reply) EndsSession() bool { return r.ends }

// HasData reports whether the reply carries <data> rather than <ok/> or
// errors only.
func (r *Reply) HasData() bool { return r.data != nil && !r.errs.HasErrors() }

// WriteTo writes the complete <rpc-reply> element: the attributes of the
// <rpc> (message-id, any others, and their namespace declarations)
// echoed unchanged, the rpc-errors, then <data> or <ok/> unless an error
// has severity error.
func (r *Reply) WriteTo(w io.Writer) (int64, error) {
	defer r.finish()
	cw := &countWriter{w: w}
	bw := writers.Get().(*bufio.Writer)
	bw.Reset(cw)
	defer func() {
		bw.Reset(nil)
		writers.Put(bw)
	}()
	p := r.prefix
	if p != "" {
		p += ":"
	}
	tag := func(start, name string) {
		bw.WriteString(start)
		bw.WriteString(p)
		bw.WriteString(name)
	}
	tag("<", "rpc-reply")
	if !r.declaresBase() {
		bw.WriteString(` xmlns="` + rpcerror.BaseNamespace + `"`)
	}
	for _, a := range r.attrs {
		bw.WriteByte(' ')
		if a.Space != "" {
			bw.WriteString(a.Space)
			bw.WriteByte(':')
		}
		bw.WriteString(a.Key)
		bw.WriteString(`="`)
		xmlEscape(bw, a.Value)
		bw.WriteByte('"')
	}
	bw.WriteByte('>')
	for _, e := range r.errs {
		if _, err := e.WriteTo(bw); err != nil {
			return cw.n, err
		}
	}
	if !r.errs.HasErrors() {
		if r.data == nil {
			tag("<", "ok/>")
		} else {
			tag("<", "data>")
			nodes := r.nodes
			if nodes == nil {
				nodes = []*tree.Node{r.data.Root()}
			}
			if err := r.data.WriteNodesXML(bw, r.opts, nodes...); err != nil {
				return cw.n, err
			}
			tag("</", "data>")
		}
	}
	tag("</", "rpc-reply>")
	err := bw.Flush()
	return cw.n, err
}

// declaresBase reports whether the echoed attributes already declare the
// namespace the reply element is written in.
func (r *Reply) declaresBase() bool {
	for _, a := range r.attrs {
		if r.prefix == "" && a.Space == "" && a.Key == "xmlns" {
			return true
		}
		if r.prefix != "" && a.Space == "xmlns" && a.Key == r.prefix {
			return true
		}
	}
	return false
}

// finish ends the session after the reply to close-session was written.
func (r *Reply) finish() {
	if r.ends {
		r.once.Do(func() { r.sess.end(context.Background(), EndClosed) })
	}
}

// writers recycles the buffers replies are written through.
var writers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 32<<10) }}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
