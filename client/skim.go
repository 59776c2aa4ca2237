package client

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// skimmer copies the content of an element from a reply to a writer
// without tokenizing it: text is copied in runs up to the next '<', and
// only markup is looked at, enough to find the end tag of the element
// and to check that the tags in between nest. Whether the content is
// otherwise well-formed is left to whoever parses the copy.
type skimmer struct {
	r     *bufio.Reader
	w     *bufio.Writer
	n     int64    // bytes read
	err   error    // error from r other than io.EOF
	stack [][]byte // names of the open elements
	name  []byte
}

// skim copies from r to w up to the end tag of the element named end,
// which it consumes but does not copy.
func (s *skimmer) skim(end string) error {
	for {
		text, err := s.r.ReadSlice('<')
		s.n += int64(len(text))
		if err == bufio.ErrBufferFull {
			s.w.Write(text)
			continue
		}
		if err != nil {
			return s.fail(err)
		}
		s.w.Write(text[:len(text)-1])
		c, err := s.readByte()
		if err != nil {
			return err
		}
		switch c {
		case '/':
			done, err := s.endTag(end)
			if done || err != nil {
				return err
			}
		case '!':
			if err := s.declaration(); err != nil {
				return err
			}
		case '?':
			s.w.WriteString("<?")
			if err := s.copyUntil("?>"); err != nil {
				return err
			}
		default:
			if err := s.startTag(c); err != nil {
				return err
			}
		}
	}
}

func (s *skimmer) readByte() (byte, error) {
	c, err := s.r.ReadByte()
	if err != nil {
		return 0, s.fail(err)
	}
	s.n++
	return c, nil
}

// fail turns the end of the reply into ErrBadReply and keeps other
// errors, which come from the transport.
func (s *skimmer) fail(err error) error {
	if err == io.EOF {
		return fmt.Errorf("%w: the reply ends inside <data>", ErrBadReply)
	}
	s.err = err
	return err
}

// endTag reads an end tag after "</" and reports whether it ends the
// skimmed element.
func (s *skimmer) endTag(end string) (bool, error) {
	s.name = s.name[:0]
	for {
		c, err := s.readByte()
		if err != nil {
			return false, err
		}
		if c == '>' {
			break
		}
		s.name = append(s.name, c)
	}
	name := bytes.TrimRight(s.name, " \t\r\n")
	if len(s.stack) == 0 {
		if string(name) != end {
			return false, fmt.Errorf("%w: </%s> where </%s> belongs", ErrBadReply, name, end)
		}
		return true, nil
	}
	top := s.stack[len(s.stack)-1]
	if !bytes.Equal(name, top) {
		return false, fmt.Errorf("%w: </%s> where </%s> belongs", ErrBadReply, name, top)
	}
	s.stack = s.stack[:len(s.stack)-1]
	s.w.WriteString("</")
	s.w.Write(s.name)
	s.w.WriteByte('>')
	return false, nil
}

// startTag copies a start tag whose name begins with c, and opens the
// element unless the tag is empty-element ("/>"). Attribute values are
// skipped over, since they may hold '>'.
func (s *skimmer) startTag(c byte) error {
	s.w.WriteByte('<')
	name := make([]byte, 0, 16)
	inName := true
	var quote, prev byte
	for {
		s.w.WriteByte(c)
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			if len(name) == 0 {
				return fmt.Errorf("%w: a tag without a name in <data>", ErrBadReply)
			}
			if prev != '/' {
				s.stack = append(s.stack, name)
			}
			return nil
		case c == '<':
			return fmt.Errorf("%w: '<' inside a tag in <data>", ErrBadReply)
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/':
			inName = false
		case inName:
			name = append(name, c)
		}
		prev = c
		var err error
		if c, err = s.readByte(); err != nil {
			return err
		}
	}
}

// declaration copies a comment or CDATA section after "<!".
func (s *skimmer) declaration() error {
	s.w.WriteString("<!")
	head, err := s.r.Peek(2)
	if err != nil {
		return s.fail(err)
	}
	switch {
	case string(head) == "--":
		return s.copyUntil("-->")
	case string(head) == "[C":
		return s.copyUntil("]]>")
	}
	return fmt.Errorf("%w: <!%s in <data> is neither a comment nor CDATA", ErrBadReply, head)
}

// copyUntil copies up to and including the first occurrence of end, at
// most three bytes long.
func (s *skimmer) copyUntil(end string) error {
	var last [3]byte
	for seen := 0; ; seen++ {
		c, err := s.readByte()
		if err != nil {
			return err
		}
		s.w.WriteByte(c)
		last[0], last[1], last[2] = last[1], last[2], c
		if seen+1 >= len(end) && string(last[3-len(end):]) == end {
			return nil
		}
	}
}
