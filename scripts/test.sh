#!/usr/bin/env bash
# Runs every check and test of ncsoap: installs the Debian packages the
# tests need when they are missing (as root), checks formatting, vet and
# that gen/ is exactly what `go generate` produces, then runs all tests
# with the race detector. Usage: scripts/test.sh [go test flags...]
set -euo pipefail
cd "$(dirname "$0")/.."

# Peers and toolkits the tests run against, from Debian.
packages=(
  libxml2-utils                  # xmllint: schema validation of messages
  python3-zeep                   # python SOAP toolkit
  gsoap libgsoap-dev g++         # gSOAP wsdl2h/soapcpp2 and a C++ compiler
  jaxws default-jdk-headless     # JAX-WS wsimport and a JDK
  netconfd openssh-server        # yuma123 netconfd behind its own sshd
  python3-ncclient               # python NETCONF client driving our SSH server
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]}; run this script as root or install them" >&2
    exit 1
  fi
  echo "installing ${missing[*]}"
  # Package scripts must not start system services (openssh-server, netconfd).
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" $unformatted >&2
  exit 1
fi

echo "== go vet"
go vet ./...

echo "== go generate (gen/ must be up to date)"
go generate ./...
if [ -d .git ] && [ -n "$(git status --porcelain -- gen/)" ]; then
  git status --porcelain -- gen/ >&2
  git diff -- gen/ | head -50 >&2
  echo "gen/ differs from what go generate produces; regenerate and commit" >&2
  exit 1
fi

echo "== go test -race"
go test -race -timeout 15m "$@" ./...
