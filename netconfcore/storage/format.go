package storage

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
)

// A value file is a header, the value, and a trailer (log files are
// described in log.go):
//
//	magic    8 bytes  "NCSTOR\x00\x01" (the last byte is the format version)
//	value    n bytes
//	length   8 bytes  n, big-endian
//	checksum 4 bytes  CRC-32C (Castagnoli) of all preceding bytes, big-endian
//
// The value is streamed on Save, so its length and checksum can only follow
// it. The length makes a truncated or extended file detectable before the
// value is read; the checksum catches altered bytes once it has been read.
const (
	headerLen  = 8
	trailerLen = 8 + 4
	overhead   = headerLen + trailerLen
)

var magic = [headerLen]byte{'N', 'C', 'S', 'T', 'O', 'R', 0, 1}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// An encoder writes the file format around the bytes written to it.
type encoder struct {
	w   *bufio.Writer
	crc uint32
	n   int64
}

// newEncoder returns an encoder that writes to w through a buffer.
func newEncoder(w io.Writer) *encoder {
	e := &encoder{w: bufio.NewWriterSize(w, 64<<10)}
	e.w.Write(magic[:]) // a bufio.Writer reports errors on Flush
	e.crc = crc32.Update(0, castagnoli, magic[:])
	return e
}

func (e *encoder) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	e.crc = crc32.Update(e.crc, castagnoli, p[:n])
	e.n += int64(n)
	return n, err
}

// finish writes the trailer and flushes the buffer.
func (e *encoder) finish() error {
	var t [trailerLen]byte
	binary.BigEndian.PutUint64(t[:8], uint64(e.n))
	binary.BigEndian.PutUint32(t[8:], crc32.Update(e.crc, castagnoli, t[:8]))
	e.w.Write(t[:])
	return e.w.Flush()
}

// A decoder reads the value out of a stored file and verifies its checksum
// when it reaches the end. Its errors name path.
type decoder struct {
	value  *io.SectionReader
	crc    uint32
	trail  [trailerLen]byte
	path   string
	err    error // sticky; io.EOF once the checksum has been verified
	closer io.Closer
}

// newDecoder checks the header and length of a stored file of size bytes
// read from r and returns a decoder for its value. A value longer than
// maxSize is a [*TooLargeError]; a log file is a [*KindError]; a malformed
// file is a [*CorruptError]. Closing the decoder closes closer, which may be
// nil.
func newDecoder(r io.ReaderAt, size, maxSize int64, path string, closer io.Closer) (*decoder, error) {
	var h [headerLen]byte
	if size >= headerLen {
		if _, err := r.ReadAt(h[:], 0); err != nil {
			return nil, fmt.Errorf("storage: reading %s: %w", path, err)
		}
		if h == logMagic {
			return nil, &KindError{Path: path, Log: true}
		}
	}
	if size < overhead {
		return nil, &CorruptError{Path: path, Reason: fmt.Sprintf("%d bytes is shorter than the %d bytes of header and trailer", size, overhead)}
	}
	if h != magic {
		return nil, &CorruptError{Path: path, Reason: fmt.Sprintf("bad header % x", h[:])}
	}
	d := &decoder{path: path, closer: closer, crc: crc32.Update(0, castagnoli, h[:])}
	if _, err := r.ReadAt(d.trail[:], size-trailerLen); err != nil {
		return nil, fmt.Errorf("storage: reading %s: %w", path, err)
	}
	n := binary.BigEndian.Uint64(d.trail[:8])
	if want := uint64(size - overhead); n != want {
		return nil, &CorruptError{Path: path, Reason: fmt.Sprintf("trailer records %d value bytes but the file holds %d (truncated or extended)", n, want)}
	}
	if int64(n) > maxSize {
		return nil, &TooLargeError{Name: path, Limit: maxSize}
	}
	d.value = io.NewSectionReader(r, headerLen, int64(n))
	return d, nil
}

// Read reads the value. At its end Read returns io.EOF if the checksum
// matches and a [*CorruptError] if not.
func (d *decoder) Read(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	n, err := d.value.Read(p)
	d.crc = crc32.Update(d.crc, castagnoli, p[:n])
	switch {
	case err == io.EOF:
		d.err = d.verify()
	case err != nil:
		d.err = fmt.Errorf("storage: reading %s: %w", d.path, err)
	}
	return n, d.err
}

func (d *decoder) verify() error {
	got := crc32.Update(d.crc, castagnoli, d.trail[:8])
	if want := binary.BigEndian.Uint32(d.trail[8:]); got != want {
		return &CorruptError{Path: d.path, Reason: fmt.Sprintf("checksum is %#08x, trailer records %#08x", got, want)}
	}
	return io.EOF
}

// Close verifies the checksum if Read has not reached the end yet, reading
// the rest of the value to do so, and closes the underlying file. Unless the
// value was read and verified completely, Close returns the error that
// prevented it, such as a [*CorruptError].
func (d *decoder) Close() error {
	if d.err == nil {
		io.Copy(io.Discard, d) // sets d.err
	}
	var err error
	if d.err != io.EOF {
		err = d.err
	}
	if d.closer != nil {
		if cerr := d.closer.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
