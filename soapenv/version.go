package soapenv

import (
	"errors"
	"fmt"
	"mime"
	"strings"
)

// Version is a SOAP version. The zero value means "unknown".
type Version int

// The SOAP versions this package reads and writes.
const (
	V11 Version = 1 // SOAP 1.1 (W3C Note, 2000)
	V12 Version = 2 // SOAP 1.2 (W3C Recommendation), the version RFC 4743 cites
)

// Envelope namespaces.
const (
	Namespace11 = "http://schemas.xmlsoap.org/soap/envelope/"
	Namespace12 = "http://www.w3.org/2003/05/soap-envelope"
)

// Media types, with the only charset this package writes.
const (
	contentType11 = "text/xml; charset=utf-8"
	contentType12 = "application/soap+xml; charset=utf-8"
)

// ErrMediaType is wrapped by the error VersionFromContentType returns for a
// media type or charset that cannot carry a SOAP envelope. An HTTP server
// answers it with 415 Unsupported Media Type.
var ErrMediaType = errors.New("soapenv: unsupported media type")

// Namespace returns the envelope namespace of v, or "" if v is unknown.
func (v Version) Namespace() string {
	switch v {
	case V11:
		return Namespace11
	case V12:
		return Namespace12
	}
	return ""
}

// String returns "SOAP 1.1", "SOAP 1.2" or "SOAP (unknown version)".
func (v Version) String() string {
	switch v {
	case V11:
		return "SOAP 1.1"
	case V12:
		return "SOAP 1.2"
	}
	return "SOAP (unknown version)"
}

// orDefault returns v, or V12 when v is unknown: SOAP 1.2 is the version
// RFC 4743 normatively references.
func (v Version) orDefault() Version {
	if v == V11 {
		return V11
	}
	return V12
}

// versionOf returns the version whose envelope namespace is ns, or 0.
func versionOf(ns string) Version {
	switch ns {
	case Namespace11:
		return V11
	case Namespace12:
		return V12
	}
	return 0
}

// ContentType returns the HTTP Content-Type for an envelope of version v:
// "text/xml; charset=utf-8" for SOAP 1.1 and
// "application/soap+xml; charset=utf-8" for SOAP 1.2 (also used when v is
// unknown).
func ContentType(v Version) string {
	if v.orDefault() == V11 {
		return contentType11
	}
	return contentType12
}

// VersionFromContentType returns the SOAP version that an HTTP Content-Type
// header announces: text/xml is SOAP 1.1 and application/soap+xml (with or
// without an action parameter) is SOAP 1.2. A charset parameter other than
// UTF-8, any other media type, or an unparsable or empty header gives an
// error wrapping ErrMediaType.
//
// The announced version is a hint only. RFC 4743's own example posts a SOAP
// 1.2 envelope as text/xml, so when the media type and the Envelope
// namespace disagree the namespace wins: the request is processed as the
// version of its envelope and the reply is written in that version with
// ContentType of that version. The hint is used only for faults raised
// before the Envelope namespace is known (see Options.FaultVersion).
func VersionFromContentType(contentType string) (Version, error) {
	if strings.TrimSpace(contentType) == "" {
		return 0, fmt.Errorf("%w: no Content-Type", ErrMediaType)
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return 0, fmt.Errorf("%w: %q: %v", ErrMediaType, contentType, err)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return 0, fmt.Errorf("%w: charset %q, only utf-8 is accepted", ErrMediaType, cs)
	}
	switch mediaType {
	case "text/xml":
		return V11, nil
	case "application/soap+xml":
		return V12, nil
	}
	return 0, fmt.Errorf("%w: %q, want text/xml or application/soap+xml", ErrMediaType, mediaType)
}
