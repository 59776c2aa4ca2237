package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseCredentials(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want map[string]string
		err  string
	}{
		{"empty", "", map[string]string{}, ""},
		{"lines", "# lab routers\n\nadmin:s3cret\noperator:with:colons and spaces \r\n", map[string]string{
			"admin": "s3cret", "operator": "with:colons and spaces ",
		}, ""},
		{"empty password", "admin:\n", map[string]string{"admin": ""}, ""},
		{"no colon", "admin\n", nil, "line 1: want user:password"},
		{"empty user", "\n:pw\n", nil, "line 2: empty user name"},
		{"spaced user", " admin:pw\n", nil, "line 1: empty user name or spaces"},
		{"duplicate", "a:1\na:2\n", nil, `line 2: user "a" appears twice`},
		{"line too long", "a:" + strings.Repeat("x", maxCredentialsSize), nil, "token too long"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseCredentials(strings.NewReader(tc.in))
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}
