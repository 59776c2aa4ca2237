#!/bin/sh
# NETCONF over SOAP with curl: <hello>, then <get-config>, on ONE kept-alive
# HTTP connection. The connection is the NETCONF session, so both requests
# go in one curl run, separated by --next, which reuses the connection.
#
# Usage: NCSOAP_PASSWORD=... sh hello-get-config.sh [URL]
# URL defaults to $NCSOAP_URL or http://127.0.0.1:8080/netconf; the user is
# $NCSOAP_USER or admin. The password goes to curl in a private netrc file,
# never on the command line where other users could see it.
set -eu

url=${1:-${NCSOAP_URL:-http://127.0.0.1:8080/netconf}}
user=${NCSOAP_USER:-admin}
: "${NCSOAP_PASSWORD:?set NCSOAP_PASSWORD}"
host=$(printf '%s\n' "$url" | sed -E 's#^[a-z]+://([^/:]+).*#\1#')

umask 077
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf 'machine %s login %s password %s\n' "$host" "$user" "$NCSOAP_PASSWORD" >"$dir/netrc"

cat >"$dir/hello.xml" <<'XML'
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
      <capabilities>
        <capability>urn:ietf:params:netconf:base:1.0</capability>
      </capabilities>
    </hello>
  </soap:Body>
</soap:Envelope>
XML

cat >"$dir/get-config.xml" <<'XML'
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="101">
      <get-config>
        <source><running/></source>
        <filter type="subtree">
          <system xmlns="http://ncsoap.dev/ns/example-users"><hostname/></system>
        </filter>
      </get-config>
    </rpc>
  </soap:Body>
</soap:Envelope>
XML

# Each request POSTs (--data-binary) a SOAP 1.1 envelope as text/xml; -w
# prints a newline after each reply. Options after --next apply to the
# second request only, so they are repeated.
curl --silent --show-error --fail --netrc-file "$dir/netrc" -w '\n' \
	-H 'Content-Type: text/xml; charset=utf-8' --data-binary "@$dir/hello.xml" "$url" \
	--next --fail --netrc-file "$dir/netrc" -w '\n' \
	-H 'Content-Type: text/xml; charset=utf-8' --data-binary "@$dir/get-config.xml" "$url"
