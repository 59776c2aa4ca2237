package storage

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
)

// A log file is a header and the records, each one a record header and the
// record:
//
//	magic    8 bytes  "NCSLOG\x00\x01" (the last byte is the format version)
//	then, for each record:
//	length   4 bytes  n, big-endian, 1 <= n
//	checksum 4 bytes  CRC-32C (Castagnoli) of the length bytes and the record, big-endian
//	record   n bytes
//
// The magic differs from a value file's, so neither kind is ever read as
// the other. A record is written with its header in one write and made
// durable before the next one starts, so a crash can only damage the last
// record, and leave it incomplete or with bytes that fail the checksum; such
// a torn record ends at the end of the file. A crash while a log is created
// can leave a file that is a prefix of the magic, possibly empty: it is a log
// without records. The file system may fill what a crash cut short with
// zero bytes, so a torn record may also be a run of zeros to the end of the
// file, whose length of 0 no record has.
//
// A length field damaged so that the record would end beyond the end of the
// file cannot be told from a torn record, as the checksum that would reveal
// it follows the record: its record and all after it are cut off as torn,
// unless it exceeds the size limit.
const (
	logHeaderLen    = 8
	recordHeaderLen = 4 + 4
)

var logMagic = [logHeaderLen]byte{'N', 'C', 'S', 'L', 'O', 'G', 0, 1}

// maxBufferedAppend is the largest write an append assembles in one buffer;
// a longer record is written after its header in a second write.
const maxBufferedAppend = 64 << 10

// appendRecord appends record with its header to b.
func appendRecord(b, record []byte) []byte {
	b = appendRecordHeader(b, record)
	return append(b, record...)
}

// appendRecordHeader appends the header of record to b.
func appendRecordHeader(b, record []byte) []byte {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(record)))
	crc := crc32.Update(crc32.Update(0, castagnoli, n[:]), castagnoli, record)
	b = append(b, n[:]...)
	return binary.BigEndian.AppendUint32(b, crc)
}

// readLog reads the log file of size bytes from r and calls fn, unless it is
// nil, with each record in turn, in a buffer that the next record reuses. It
// returns the offset of the end of the last whole record; the bytes from
// there to size are a torn record, or a torn magic if the end is 0. A record
// longer than limit is a [*TooLargeError]; a value file is a [*KindError];
// any other damage is a [*CorruptError]. Errors name path; fn's error is
// returned unchanged.
func readLog(r io.ReaderAt, size, limit int64, path string, fn func([]byte) error) (int64, error) {
	src := bufio.NewReaderSize(io.NewSectionReader(r, 0, size), 64<<10)
	read := func(p []byte) error {
		if _, err := io.ReadFull(src, p); err != nil {
			return fmt.Errorf("storage: reading %s: %w", path, err)
		}
		return nil
	}
	if size < logHeaderLen {
		b := make([]byte, size)
		if err := read(b); err != nil {
			return 0, err
		}
		if !bytes.HasPrefix(logMagic[:], b) {
			return 0, &CorruptError{Path: path, Reason: fmt.Sprintf("%d bytes are neither a log header nor a prefix of one", size)}
		}
		return 0, nil
	}
	var h [logHeaderLen]byte
	if err := read(h[:]); err != nil {
		return 0, err
	}
	switch h {
	case logMagic:
	case magic:
		return 0, &KindError{Path: path}
	default:
		return 0, &CorruptError{Path: path, Reason: fmt.Sprintf("bad header % x", h[:])}
	}
	var (
		hdr [recordHeaderLen]byte
		buf []byte
		off = int64(logHeaderLen)
	)
	for off < size {
		rest := size - off
		if rest < recordHeaderLen {
			return off, nil
		}
		if err := read(hdr[:]); err != nil {
			return 0, err
		}
		n := int64(binary.BigEndian.Uint32(hdr[:4]))
		switch {
		case n == 0:
			zero, err := zeroTail(src, hdr[:], rest-recordHeaderLen, path)
			if err != nil {
				return 0, err
			}
			if zero {
				return off, nil
			}
			return 0, &CorruptError{Path: path, Reason: fmt.Sprintf("record at offset %d has length 0", off)}
		case n > limit:
			return 0, &TooLargeError{Name: path, Limit: limit}
		case n > rest-recordHeaderLen:
			return off, nil
		}
		if int64(cap(buf)) < n {
			buf = make([]byte, n)
		}
		buf = buf[:n]
		if err := read(buf); err != nil {
			return 0, err
		}
		crc := crc32.Update(crc32.Update(0, castagnoli, hdr[:4]), castagnoli, buf)
		if want := binary.BigEndian.Uint32(hdr[4:]); crc != want {
			if n == rest-recordHeaderLen {
				return off, nil
			}
			return 0, &CorruptError{Path: path, Reason: fmt.Sprintf("record at offset %d has checksum %#08x, its header records %#08x", off, crc, want)}
		}
		if fn != nil {
			if err := fn(buf); err != nil {
				return 0, err
			}
		}
		off += recordHeaderLen + n
	}
	return off, nil
}

// zeroTail reports whether head and the next n bytes of src are all zero.
func zeroTail(src io.Reader, head []byte, n int64, path string) (bool, error) {
	if !allZero(head) {
		return false, nil
	}
	var chunk [4096]byte
	for n > 0 {
		k := min(n, int64(len(chunk)))
		if _, err := io.ReadFull(src, chunk[:k]); err != nil {
			return false, fmt.Errorf("storage: reading %s: %w", path, err)
		}
		if !allZero(chunk[:k]) {
			return false, nil
		}
		n -= k
	}
	return true, nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
