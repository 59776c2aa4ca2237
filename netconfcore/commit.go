package netconfcore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ncsoap/ncsoap/internal/xmlparse"
	"github.com/ncsoap/ncsoap/netconfcore/datastore"
	"github.com/ncsoap/ncsoap/netconfcore/rpcerror"
	"github.com/ncsoap/ncsoap/netconfcore/storage"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// pendingCommit is a confirmed commit waiting for its confirmation
// (RFC 6241 §8.4).
type pendingCommit struct {
	owner    uint32 // the session that issued it
	persist  string // the persist token, "" when bound to the session
	rollback *tree.Tree
	deadline time.Time
	timer    *time.Timer
}

var commitParams = base("confirmed", "confirm-timeout", "persist", "persist-id")

func opCommit(c *call) error {
	p, err := paramsOf(c.op, commitParams)
	if err != nil {
		return err
	}
	c.target = string(datastore.Running)
	confirmed, err := emptyParam(p, "confirmed")
	if err != nil {
		return err
	}
	secs, hasTimeout, err := uintParam(p, "confirm-timeout", 1, 1<<32-1)
	if err != nil {
		return err
	}
	persist, hasPersist := p.text("persist")
	persistID, hasPersistID := p.text("persist-id")
	if !confirmed && (hasTimeout || hasPersist) {
		name := "confirm-timeout"
		if hasPersist {
			name = "persist"
		}
		return rpcerror.New(rpcerror.TypeProtocol, rpcerror.InvalidValue,
			"<%s> needs <confirmed/>", name).WithInfo(rpcerror.Info{BadElement: name})
	}
	timeout := DefaultConfirmTimeout
	if hasTimeout {
		timeout = time.Duration(secs) * time.Second
	}
	srv := c.sess.srv
	srv.mu.Lock()
	defer srv.mu.Unlock()
	for _, n := range []datastore.Name{datastore.Running, datastore.Candidate} {
		if err := srv.checkWritable(c.sess.id, n); err != nil {
			return err
		}
	}
	pc := srv.confirm
	if err := pc.authorize(c.sess.id, persistID, hasPersistID); err != nil {
		return err
	}
	cand := srv.snapshot(datastore.Candidate)
	if err := srv.store.Validate(c.ctx, cand); err != nil {
		return err
	}
	if !confirmed {
		if pc != nil {
			if err := srv.forgetConfirmed(c.ctx); err != nil {
				return err
			}
			srv.log.Info("confirmed commit confirmed", "session", c.sess.id)
		}
		return srv.store.Replace(c.ctx, datastore.Running, cand)
	}
	if pc == nil {
		pc = &pendingCommit{rollback: srv.snapshot(datastore.Running)}
		if err := srv.saveConfirmed(c.ctx, pc); err != nil {
			return err
		}
	}
	if err := srv.store.Replace(c.ctx, datastore.Running, cand); err != nil {
		if srv.confirm == nil {
			srv.deleteConfirmed(c.ctx)
		}
		return err
	}
	pc.owner, pc.persist, pc.deadline = c.sess.id, persist, time.Now().Add(timeout)
	if pc.timer != nil {
		pc.timer.Stop()
	}
	pc.timer = time.AfterFunc(timeout, func() { srv.confirmTimeout(pc) })
	srv.confirm = pc
	srv.log.Info("confirmed commit", "session", c.sess.id, "timeout", timeout, "persist", persist != "")
	return nil
}

// authorize checks that a commit or cancel-commit from session id may act
// on the pending confirmed commit pc (nil when none is pending).
func (pc *pendingCommit) authorize(id uint32, persistID string, hasPersistID bool) error {
	switch {
	case pc == nil && hasPersistID:
		return rpcerror.New(rpcerror.TypeProtocol, rpcerror.InvalidValue,
			"no confirmed commit with this persist-id is pending").WithInfo(rpcerror.Info{BadElement: "persist-id"})
	case pc == nil:
		return nil
	case pc.persist != "":
		if !hasPersistID || persistID != pc.persist {
			return rpcerror.New(rpcerror.TypeProtocol, rpcerror.InvalidValue,
				"a persistent confirmed commit is pending; give its persist-id").WithInfo(rpcerror.Info{BadElement: "persist-id"})
		}
	case hasPersistID:
		return rpcerror.New(rpcerror.TypeProtocol, rpcerror.InvalidValue,
			"the pending confirmed commit has no persist token").WithInfo(rpcerror.Info{BadElement: "persist-id"})
	case pc.owner != id:
		return rpcerror.New(rpcerror.TypeProtocol, rpcerror.InUse,
			"a confirmed commit of session %d is pending", pc.owner)
	}
	return nil
}

func opCancelCommit(c *call) error {
	p, err := paramsOf(c.op, base("persist-id"))
	if err != nil {
		return err
	}
	c.target = string(datastore.Running)
	persistID, hasPersistID := p.text("persist-id")
	srv := c.sess.srv
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.confirm == nil {
		return rpcerror.New(rpcerror.TypeProtocol, rpcerror.OperationFailed, "no confirmed commit is pending")
	}
	if err := srv.confirm.authorize(c.sess.id, persistID, hasPersistID); err != nil {
		return err
	}
	return srv.rollbackLocked(c.ctx, fmt.Sprintf("canceled by session %d", c.sess.id))
}

// confirmTimeout rolls back pc when its timer fires and it is still the
// pending commit.
func (s *Server) confirmTimeout(pc *pendingCommit) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.confirm == pc && !s.closed {
		s.rollbackLocked(context.Background(), "confirm-timeout expired")
	}
}

// rollbackLocked restores running (and the candidate) to the
// configuration from before the pending confirmed commit and forgets it.
// The caller holds s.mu.
func (s *Server) rollbackLocked(ctx context.Context, why string) error {
	pc := s.confirm
	pc.timer.Stop()
	s.confirm = nil
	if err := s.store.Replace(ctx, datastore.Running, pc.rollback); err != nil {
		s.log.Error("confirmed commit rollback failed", "reason", why, "err", err)
		return rpcerror.New(rpcerror.TypeApplication, rpcerror.RollbackFailed, "rollback failed: %v", err)
	}
	if err := s.store.Replace(ctx, datastore.Candidate, pc.rollback); err != nil {
		return err
	}
	s.deleteConfirmed(ctx)
	s.log.Warn("confirmed commit rolled back", "reason", why)
	return nil
}

// forgetConfirmed drops the pending confirmed commit after its confirming
// commit. The stored rollback state goes first, so that a crash before the
// confirming commit's new running is saved keeps the confirmed content.
// The caller holds s.mu.
func (s *Server) forgetConfirmed(ctx context.Context) error {
	if err := s.deleteConfirmed(ctx); err != nil {
		return err
	}
	s.confirm.timer.Stop()
	s.confirm = nil
	return nil
}

// discardCandidate resets the candidate to running. The caller holds s.mu.
func (s *Server) discardCandidate(ctx context.Context) {
	if err := s.store.Replace(ctx, datastore.Candidate, s.snapshot(datastore.Running)); err != nil {
		s.log.Error("discarding the candidate failed", "err", err)
	}
}

// saveConfirmed stores the configuration to restore if the server
// restarts before pc is confirmed.
func (s *Server) saveConfirmed(ctx context.Context, pc *pendingCommit) error {
	if s.cfg.Backend == nil {
		return nil
	}
	err := s.cfg.Backend.Save(ctx, confirmRecord, func(w io.Writer) error {
		return datastore.WriteConfig(w, pc.rollback)
	})
	if err != nil {
		return rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed, "saving the rollback configuration: %v", err)
	}
	return nil
}

func (s *Server) deleteConfirmed(ctx context.Context) error {
	if s.cfg.Backend == nil {
		return nil
	}
	if err := s.cfg.Backend.Delete(ctx, confirmRecord); err != nil && !errors.Is(err, storage.ErrNotExist) {
		s.log.Error("deleting the confirmed-commit record failed", "err", err)
		return rpcerror.New(rpcerror.TypeApplication, rpcerror.OperationFailed, "deleting the rollback configuration: %v", err)
	}
	return nil
}

// restoreConfirmed rolls back a confirmed commit that was pending when
// the server stopped: a restart before confirmation restores the
// configuration from before it (RFC 6241 §8.4.1).
func (s *Server) restoreConfirmed(ctx context.Context) error {
	if s.cfg.Backend == nil {
		return nil
	}
	rc, err := s.cfg.Backend.Load(ctx, confirmRecord)
	if errors.Is(err, storage.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("netconfcore: loading the confirmed-commit record: %w", err)
	}
	defer rc.Close()
	doc, err := xmlparse.ParseReader(rc, xmlparse.Options{})
	if err != nil {
		return fmt.Errorf("netconfcore: reading the confirmed-commit record: %v", err)
	}
	snap, err := s.store.ParseConfig(doc.Root())
	if err != nil {
		return fmt.Errorf("netconfcore: the confirmed-commit record: %w", err)
	}
	for _, n := range []datastore.Name{datastore.Running, datastore.Candidate} {
		if err := s.store.Replace(ctx, n, snap); err != nil {
			return fmt.Errorf("netconfcore: restoring running: %w", err)
		}
	}
	if err := s.cfg.Backend.Delete(ctx, confirmRecord); err != nil {
		return fmt.Errorf("netconfcore: deleting the confirmed-commit record: %w", err)
	}
	s.log.Warn("restored the configuration from before an unconfirmed confirmed commit")
	return nil
}
