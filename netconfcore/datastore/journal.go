package datastore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"

	"github.com/ncsoap/ncsoap/internal/xmlparse"
	"github.com/ncsoap/ncsoap/netconfcore/tree"
)

// Journal is a Backend that also keeps append-only logs of records; the
// storage package's Dir and Memory implement it. With a Journal, the store
// persists a change of running or startup by appending what changed (a
// few hundred bytes for a one-leaf edit) to a log beside the datastore's
// snapshot, instead of rewriting the snapshot; see Options.Backend.
type Journal interface {
	Backend
	// Append adds record to the end of log name durably, creating the log.
	Append(ctx context.Context, name string, record []byte) error
	// Replay calls fn with the records of log name in order. A log that
	// does not exist is an error for which Options.IsNotFound is true.
	Replay(ctx context.Context, name string, fn func(record []byte) error) error
	// Delete removes log name.
	Delete(ctx context.Context, name string) error
}

// A journal holds the records of the changes made to one datastore since
// its snapshot was saved. Its first record names the snapshot by its
// SHA-256 digest, so a journal left behind by a crash between saving a new
// snapshot and starting a new journal is recognized and ignored. The other
// records are <config> elements written by tree.WriteDiff: edits that
// replay the changes exactly, in order.
type journal struct {
	base     []byte // the first record; nil when there is no usable journal
	snapSize int64  // bytes of the snapshot
	logSize  int64  // bytes of the records
}

// minCompact is the journal size below which the store never rewrites a
// snapshot just to shorten its journal. Tests lower it to exercise
// compaction.
var minCompact int64 = 1 << 20

// journalName returns the backend name of the journal of datastore name.
func journalName(name Name) string { return string(name) + ".journal" }

// baseRecord returns the first record of a journal for the snapshot with
// the given digest.
func baseRecord(digest []byte) []byte {
	return []byte("ncsoap-journal 1 sha256:" + hex.EncodeToString(digest))
}

// digest hashes and counts the bytes written to it: those of a snapshot
// as it is saved or loaded.
type digest struct {
	h hash.Hash
	n int64
}

func newDigest() *digest { return &digest{h: sha256.New()} }

func (d *digest) Write(p []byte) (int, error) {
	d.h.Write(p)
	d.n += int64(len(p))
	return len(p), nil
}

// persist makes next, which follows cur, durable as datastore name: as a
// journal record when the datastore has a journal and the record is small
// next to the snapshot, else as a new snapshot followed by a new journal.
// The caller holds s.mu.
func (s *Store) persist(ctx context.Context, name Name, cur, next *tree.Tree) error {
	j, ok := s.opts.Backend.(Journal)
	st := s.journals[name]
	if ok && st.base != nil {
		var rec bytes.Buffer
		if _, err := tree.WriteDiff(&rec, cur, next); err != nil {
			return err
		}
		size := int64(rec.Len())
		if size <= st.snapSize/2 && st.logSize+size <= max(st.snapSize, minCompact) {
			if err := j.Append(ctx, journalName(name), rec.Bytes()); err != nil {
				return err
			}
			st.logSize += size
			return nil
		}
	}
	return s.compact(ctx, name, next)
}

// compact saves next as the snapshot of datastore name and, with a
// Journal, starts a new empty journal for it. The caller holds s.mu.
func (s *Store) compact(ctx context.Context, name Name, next *tree.Tree) error {
	dg := newDigest()
	err := s.opts.Backend.Save(ctx, string(name), func(w io.Writer) error {
		return WriteConfig(io.MultiWriter(w, dg), next)
	})
	if err != nil {
		return err
	}
	j, ok := s.opts.Backend.(Journal)
	if !ok {
		return nil
	}
	// The snapshot is saved: the change is durable. The old journal no
	// longer applies (its base names the old snapshot). If starting a new
	// one fails, the datastore goes on without a journal, and the next
	// change saves a snapshot and tries again.
	st := s.journals[name]
	*st = journal{}
	if err := j.Delete(ctx, journalName(name)); err != nil && !s.isNotFound(err) {
		return nil
	}
	base := baseRecord(dg.h.Sum(nil))
	if j.Append(ctx, journalName(name), base) != nil {
		return nil
	}
	*st = journal{base: base, snapSize: dg.n}
	return nil
}

func (s *Store) isNotFound(err error) bool {
	if s.opts.IsNotFound != nil {
		return s.opts.IsNotFound(err)
	}
	return errors.Is(err, fs.ErrNotExist)
}

// errStaleJournal stops the replay of a journal that belongs to another
// snapshot.
var errStaleJournal = errors.New("journal of another snapshot")

// replay applies the journal of datastore name to t, the snapshot loaded
// with the given digest and size, and returns the result. Without a
// journal, or with a stale one, it returns t: the next change then saves a
// snapshot and starts a new journal.
func (s *Store) replay(ctx context.Context, name Name, t *tree.Tree, digest []byte, snapSize int64) (*tree.Tree, error) {
	j, ok := s.opts.Backend.(Journal)
	if !ok {
		return t, nil
	}
	st := s.journals[name]
	base := baseRecord(digest)
	n := 0
	var logSize int64
	err := j.Replay(ctx, journalName(name), func(rec []byte) error {
		n++
		if n == 1 {
			if !bytes.Equal(rec, base) {
				return errStaleJournal
			}
			return nil
		}
		doc, err := xmlparse.Parse(rec, xmlparse.Options{})
		if err != nil {
			return fmt.Errorf("record %d is not XML: %v", n, err)
		}
		ed := &editor{set: s.set}
		root := ed.apply(t.Root(), doc.Root(), Merge)
		if len(ed.errs) > 0 {
			return fmt.Errorf("record %d does not apply: %w", n, listOrOne(ed.errs))
		}
		t = t.WithRoot(root)
		logSize += int64(len(rec))
		return nil
	})
	switch {
	case errors.Is(err, errStaleJournal), err != nil && s.isNotFound(err):
		return t, nil
	case err != nil:
		return nil, fmt.Errorf("datastore: replaying the journal of %s: %w", name, err)
	case n == 0:
		// A crash cut the journal's first record off: it names no
		// snapshot, so nothing may be appended to it.
		return t, nil
	}
	*st = journal{base: base, snapSize: snapSize, logSize: logSize}
	return t, nil
}
