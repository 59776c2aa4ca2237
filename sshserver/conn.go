package sshserver

import (
	"bytes"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/ncsoap/ncsoap/framing"
	"github.com/ncsoap/ncsoap/netconfcore"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
)

// keepBuffer is the largest message buffer a session keeps for the next
// message; a larger one, grown by a large request, is dropped.
const keepBuffer = 1 << 20

// serveConn runs the SSH handshake on conn and then serves its channels.
func (s *Server) serveConn(conn net.Conn) {
	defer s.untrack(conn)
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(s.opts.HandshakeTimeout))
	sc, chans, reqs, err := ssh.NewServerConn(conn, s.config)
	if err != nil {
		s.log.Debug("ssh handshake failed", "remote", conn.RemoteAddr().String(), "err", err)
		return
	}
	conn.SetDeadline(time.Time{})
	go ssh.DiscardRequests(reqs)

	c := &sshConn{srv: s, conn: sc}
	// A connection must start a NETCONF session as promptly as it
	// authenticated.
	noSession := time.AfterFunc(s.opts.HandshakeTimeout, func() {
		if !c.started.Load() {
			s.log.Info("ssh connection without netconf session, closing", "remote", conn.RemoteAddr().String())
			sc.Close()
		}
	})
	defer noSession.Stop()
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "only session channels are served")
			continue
		}
		if c.open.Load() >= int32(s.opts.MaxChannels) {
			nc.Reject(ssh.ResourceShortage, "too many sessions on this connection")
			continue
		}
		ch, chReqs, err := nc.Accept()
		if err != nil {
			continue
		}
		c.open.Add(1)
		c.wg.Add(1)
		go c.serveChannel(ch, chReqs)
	}
	c.wg.Wait()
}

// sshConn is one authenticated SSH connection.
type sshConn struct {
	srv     *Server
	conn    *ssh.ServerConn
	open    atomic.Int32 // channels being served
	started atomic.Bool  // a netconf subsystem was started
	wg      sync.WaitGroup
}

// serveChannel answers the requests of a session channel; the first
// "subsystem netconf" request starts a NETCONF session on it.
func (c *sshConn) serveChannel(ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer c.wg.Done()
	started := false
	for req := range reqs {
		if req.Type == "subsystem" && !started && subsystemName(req.Payload) == Subsystem {
			started = true
			c.started.Store(true)
			req.Reply(true, nil)
			c.wg.Add(1)
			go func() {
				defer c.wg.Done()
				c.runSession(ch)
			}()
			continue
		}
		req.Reply(false, nil)
	}
	if !started {
		ch.Close()
		c.open.Add(-1)
	}
}

// subsystemName decodes the payload of a subsystem request.
func subsystemName(payload []byte) string {
	var msg struct{ Name string }
	if err := ssh.Unmarshal(payload, &msg); err != nil {
		return ""
	}
	return msg.Name
}

// channelDone closes the channel of a NETCONF session that ended and,
// when it was the last channel, the connection.
func (c *sshConn) channelDone(ch ssh.Channel) {
	ch.Close()
	if c.open.Add(-1) == 0 {
		c.conn.Close()
	}
}

// runSession runs one NETCONF session on ch.
func (c *sshConn) runSession(ch ssh.Channel) {
	defer c.channelDone(ch)
	s := c.srv
	sess, err := s.engine.NewSession(netconfcore.SessionInfo{
		Username:   c.conn.User(),
		Transport:  Transport,
		RemoteAddr: c.conn.RemoteAddr().String(),
	})
	if err != nil {
		s.log.Warn("netconf session refused", "user", c.conn.User(), "remote", c.conn.RemoteAddr().String(), "err", err)
		return
	}
	defer sess.Close()
	act := &activity{ch: ch}
	act.touch()
	r := framing.NewReader(act)
	r.SetMaxMessageSize(s.opts.MaxMessageSize)
	w := framing.NewWriter(ch)

	var closeOnce sync.Once
	end := func() { closeOnce.Do(func() { ch.Close() }) }
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-sess.Done():
			// After close-session the loop closes the channel once
			// the reply is flushed.
			if sess.EndReason() != netconfcore.EndClosed {
				end()
			}
		case <-s.ctx.Done():
			end()
		case <-stop:
		}
	}()
	if s.opts.IdleTimeout > 0 {
		stopWatch := act.watch(s.opts.IdleTimeout, func() {
			s.log.Info("netconf session idle, closing", "session", sess.ID())
			end()
		})
		defer stopWatch()
	}

	if err := writeMessage(w, sess.WriteHello); err != nil {
		return
	}
	hello, err := r.Next()
	if err != nil {
		c.readFailed(sess, err)
		return
	}
	if err := sess.ReceiveHello(hello); err != nil {
		return
	}
	if sess.Version() == netconfcore.Base11 {
		r.Upgrade()
		w.Upgrade()
	}
	var in bytes.Buffer
	for {
		// The whole message is read before the engine sees it, so that a
		// framing violation ends the session without a reply, and the
		// engine parses from memory.
		msg, err := r.Next()
		if err == nil {
			in.Reset()
			_, err = in.ReadFrom(msg)
		}
		if err != nil {
			c.readFailed(sess, err)
			if errors.Is(err, framing.ErrMessageTooLarge) {
				tooBig(w, s.opts.MaxMessageSize)
			}
			return
		}
		act.busy.Store(true)
		rep := sess.Do(s.ctx, bytes.NewReader(in.Bytes()))
		if in.Cap() > keepBuffer {
			in = bytes.Buffer{}
		}
		if ended(sess) {
			// Killed or shut down meanwhile: the session has no
			// reply to give.
			return
		}
		err = writeMessage(w, func(mw io.Writer) error {
			_, err := rep.WriteTo(mw)
			return err
		})
		act.touch()
		act.busy.Store(false)
		if err != nil || rep.EndsSession() {
			if err == nil {
				sendExitStatus(ch)
			}
			return
		}
	}
}

// ended reports whether the engine has ended sess.
func ended(sess *netconfcore.Session) bool {
	select {
	case <-sess.Done():
		return true
	default:
		return false
	}
}

// readFailed logs why reading a message failed; the caller then ends the
// session.
func (c *sshConn) readFailed(sess *netconfcore.Session, err error) {
	var fe *framing.Error
	switch {
	case errors.As(err, &fe):
		c.srv.log.Warn("netconf framing error, closing session", "session", sess.ID(), "err", err)
	case errors.Is(err, io.EOF):
		c.srv.log.Debug("netconf channel closed by peer", "session", sess.ID())
	default:
		c.srv.log.Debug("netconf channel read failed", "session", sess.ID(), "err", err)
	}
}

// tooBig tells the peer its message exceeded limit before the session
// ends.
func tooBig(w *framing.Writer, limit int64) {
	e := rpcerror.New(rpcerror.TypeTransport, rpcerror.TooBig, "message larger than %d bytes", limit)
	writeMessage(w, func(mw io.Writer) error {
		io.WriteString(mw, `<rpc-reply xmlns="`+rpcerror.BaseNamespace+`">`)
		e.WriteTo(mw)
		_, err := io.WriteString(mw, `</rpc-reply>`)
		return err
	})
}

// sendExitStatus reports a clean end of the subsystem, as sshd does.
func sendExitStatus(ch ssh.Channel) {
	ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{0}))
}

// writeMessage frames what write produces as one message.
func writeMessage(w *framing.Writer, write func(io.Writer) error) error {
	mw := w.Message()
	if err := write(mw); err != nil {
		mw.Close()
		return err
	}
	return mw.Close()
}

// activity reads from a channel and tracks when it last had traffic or
// a request in progress, for the idle timeout.
type activity struct {
	ch   io.Reader
	last atomic.Int64 // UnixNano of the latest read
	busy atomic.Bool  // a request is being run or answered
}

func (a *activity) touch() { a.last.Store(time.Now().UnixNano()) }

func (a *activity) Read(p []byte) (int, error) {
	n, err := a.ch.Read(p)
	if n > 0 {
		a.touch()
	}
	return n, err
}

// watch calls idle once the channel has been quiet for timeout, and
// returns a function that stops watching.
func (a *activity) watch(timeout time.Duration, idle func()) (stop func()) {
	var mu sync.Mutex
	var t *time.Timer
	check := func() {
		quiet := time.Duration(time.Now().UnixNano() - a.last.Load())
		next := timeout
		switch {
		case a.busy.Load():
		case quiet >= timeout:
			idle()
			return
		default:
			next = timeout - quiet
		}
		mu.Lock()
		t.Reset(next)
		mu.Unlock()
	}
	mu.Lock()
	t = time.AfterFunc(timeout, check)
	mu.Unlock()
	return func() {
		mu.Lock()
		t.Stop()
		mu.Unlock()
	}
}
