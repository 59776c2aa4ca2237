package nsxml

import (
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"
)

func TestDetachCarriesDeclarationsInScope(t *testing.T) {
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromString(`<env xmlns="urn:d" xmlns:a="urn:a" xmlns:b="urn:b">`+
		`<body xmlns:a="urn:a2"><a:x b:attr="1"><y>a:v</y></a:x><z xmlns="urn:own"/></body></env>`))
	body := doc.FindElement("//body")
	require.Equal(t, `<a:x b:attr="1" xmlns:a="urn:a2" xmlns="urn:d" xmlns:b="urn:b"><y>a:v</y></a:x>`,
		String(body.ChildElements()[0]))
	require.Equal(t, `<z xmlns="urn:own" xmlns:a="urn:a2" xmlns:b="urn:b"/>`, String(body.ChildElements()[1]))
	require.Equal(t, String(body.ChildElements()[0])+String(body.ChildElements()[1]), Children(body))
}
