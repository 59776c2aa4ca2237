package xmlparse

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"
)

// etreeParse parses data as the callers of this package did before: etree
// with its default ReadSettings.
func etreeParse(data []byte) (*etree.Document, error) {
	doc := etree.NewDocument()
	_, err := doc.ReadFrom(bytes.NewReader(data))
	return doc, err
}

// stricter lists the messages of the errors for input that etree accepts
// but Parse rejects on purpose (see the package comment).
var stricter = []string{
	"DOCTYPE and other <! declarations are not allowed",
	"duplicate attribute ",
	"character data outside the root element",
	"CDATA section outside the root element",
	"second root element",
	"no root element",
	"XML declaration not at the start of the document",
	"processing instruction target ",
	"expected whitespace",
	"malformed XML declaration",
	"expected '=' in XML declaration",
	"expected quoted value in XML declaration",
	"unterminated value in XML declaration",
	"unsupported XML version ",
	"unsupported encoding ",
	"standalone must be yes or no",
	"XML declaration without version",
	"byte 0x",
	"invalid character reference \"&#", // surrogates
	"illegal character ",               // in comments and processing instructions
	"invalid UTF-8",                    // idem
}

// checkStricter fails unless err is one of the refusals etree does not make,
// and true of data.
func checkStricter(t *testing.T, data []byte, err error) {
	t.Helper()
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	known := false
	for _, m := range stricter {
		known = known || strings.HasPrefix(se.Msg, m)
	}
	require.True(t, known, "etree accepts %q but Parse: %v", data, err)
	if strings.HasPrefix(se.Msg, "illegal character ") || strings.HasPrefix(se.Msg, "invalid UTF-8") {
		r, n := utf8.DecodeRune(data[se.Offset:])
		require.True(t, n == 1 && r == utf8.RuneError || !isChar(r), "%q: %v", data, err)
	}
}

// checkDifferential parses data with etree and with Parse and fails unless
// Parse rejects everything etree rejects and builds the same tree for the
// rest, short of the refusals listed in stricter.
func checkDifferential(t *testing.T, data []byte) {
	t.Helper()
	want, werr := etreeParse(bytes.TrimPrefix(data, []byte(byteOrderMark)))
	got, gerr := Parse(data, Options{})
	switch {
	case werr != nil:
		require.Error(t, gerr, "etree rejects %q: %v", data, werr)
		require.Nil(t, got)
	case gerr != nil:
		checkStricter(t, data, gerr)
	default:
		require.Empty(t, treeDiff(&want.Element, &got.Element, "/"), "%q", data)
		require.True(t, reflect.DeepEqual(want, got), "%q", data)
	}
}

// treeDiff describes the first difference between two trees, or returns "".
func treeDiff(want, got *etree.Element, path string) string {
	if want.Space != got.Space || want.Tag != got.Tag {
		return fmt.Sprintf("%s: element %q:%q, want %q:%q", path, got.Space, got.Tag, want.Space, want.Tag)
	}
	path += want.FullTag()
	if len(want.Attr) != len(got.Attr) {
		return fmt.Sprintf("%s: %d attributes, want %d", path, len(got.Attr), len(want.Attr))
	}
	for i, w := range want.Attr {
		g := got.Attr[i]
		if w.Space != g.Space || w.Key != g.Key || w.Value != g.Value || g.Element() != got {
			return fmt.Sprintf("%s: attribute %d is %q:%q=%q, want %q:%q=%q",
				path, i, g.Space, g.Key, g.Value, w.Space, w.Key, w.Value)
		}
	}
	if len(want.Child) != len(got.Child) {
		return fmt.Sprintf("%s: %d children, want %d", path, len(got.Child), len(want.Child))
	}
	for i, wt := range want.Child {
		gt := got.Child[i]
		at := fmt.Sprintf("%s[%d]", path, i)
		if reflect.TypeOf(wt) != reflect.TypeOf(gt) {
			return fmt.Sprintf("%s: %T, want %T", at, gt, wt)
		}
		if gt.Parent() != got || gt.Index() != i {
			return fmt.Sprintf("%s: parent or index wrong", at)
		}
		var d string
		switch w := wt.(type) {
		case *etree.Element:
			d = treeDiff(w, gt.(*etree.Element), at+"/")
		case *etree.CharData:
			g := gt.(*etree.CharData)
			if w.Data != g.Data || w.IsWhitespace() != g.IsWhitespace() || w.IsCData() != g.IsCData() {
				d = fmt.Sprintf("%s: text %q (space %t, cdata %t), want %q (space %t, cdata %t)", at,
					g.Data, g.IsWhitespace(), g.IsCData(), w.Data, w.IsWhitespace(), w.IsCData())
			}
		case *etree.Comment:
			if g := gt.(*etree.Comment); w.Data != g.Data {
				d = fmt.Sprintf("%s: comment %q, want %q", at, g.Data, w.Data)
			}
		case *etree.ProcInst:
			if g := gt.(*etree.ProcInst); w.Target != g.Target || w.Inst != g.Inst {
				d = fmt.Sprintf("%s: processing instruction %q %q, want %q %q", at, g.Target, g.Inst, w.Target, w.Inst)
			}
		default:
			d = fmt.Sprintf("%s: unexpected %T", at, gt)
		}
		if d != "" {
			return d
		}
	}
	return ""
}

// seeds returns the seed corpus of FuzzParse: the inputs of the files in
// testdata/fuzz/FuzzParse.
func seeds(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzParse", "*"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		data, err := corpusInput(b)
		require.NoError(t, err, f)
		out[filepath.Base(f)] = data
	}
	return out
}

// corpusInput decodes a file of the Go fuzzing corpus holding one []byte.
func corpusInput(file []byte) ([]byte, error) {
	const header = "go test fuzz v1\n"
	rest, ok := bytes.CutPrefix(file, []byte(header))
	if !ok {
		return nil, errors.New("not a corpus file")
	}
	lit, ok := strings.CutPrefix(strings.TrimSpace(string(rest)), "[]byte(")
	if !ok || !strings.HasSuffix(lit, ")") {
		return nil, errors.New("not a []byte corpus entry")
	}
	s, err := strconv.Unquote(lit[:len(lit)-1])
	return []byte(s), err
}

func TestDifferentialSeeds(t *testing.T) {
	for name, data := range seeds(t) {
		t.Run(name, func(t *testing.T) { checkDifferential(t, data) })
	}
}

func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDifferential(t, data)
	})
}

func TestRunesMatchEncodingXML(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0x3100 && r%97 != 0 && r != 0xFFFE && r != 0xFFFF {
			continue
		}
		c := string(r)
		for _, doc := range []string{"<" + c + "/>", "<a" + c + "/>", "<a " + c + `=""/>`, "<a>" + c + "</a>", `<a b="` + c + `"/>`} {
			checkDifferential(t, []byte(doc))
		}
	}
}
