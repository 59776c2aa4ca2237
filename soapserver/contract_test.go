package soapserver_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/ncsoap/ncsoap/soapserver"
)

func get(t *testing.T, u string) *etree.Document {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, u)
	require.Equal(t, "text/xml; charset=utf-8", resp.Header.Get("Content-Type"))
	doc := etree.NewDocument()
	_, err = doc.ReadFrom(resp.Body)
	require.NoError(t, err)
	return doc
}

func TestWSDL(t *testing.T) {
	for _, tc := range []struct {
		name, public, query string
	}{
		{"address from request", "", "?wsdl"},
		{"upper-case query", "", "?WSDL"},
		{"public URL", "https://router.example:832/netconf", "?wsdl"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := start(t, nil, soapserver.Options{PublicURL: tc.public})
			base := f.url
			if tc.public != "" {
				base = tc.public
			}
			wsdl := get(t, f.url+tc.query)
			addrs := wsdl.FindElements("//port/address")
			require.Len(t, addrs, 2)
			for _, a := range addrs {
				require.Equal(t, base, a.SelectAttrValue("location", ""))
			}
			// Every schema the WSDL needs is reachable from it, and only
			// through the service URL.
			seen := map[string]bool{}
			queue := []*etree.Document{wsdl}
			for len(queue) > 0 {
				doc := queue[0]
				queue = queue[1:]
				for _, imp := range doc.FindElements("//*[@schemaLocation]") {
					loc := imp.SelectAttrValue("schemaLocation", "")
					u, err := url.Parse(loc)
					require.NoError(t, err)
					require.Equal(t, base, (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String(), loc)
					if seen[loc] {
						continue
					}
					seen[loc] = true
					local := f.url + "?" + u.RawQuery
					queue = append(queue, get(t, local))
				}
			}
			require.Len(t, seen, 4)
		})
	}
}
