package soapserver

import (
	"log/slog"
	"time"

	"github.com/ncsoap/ncsoap/auth"
)

// Defaults applied when Options leaves a field zero.
const (
	DefaultPath              = "/netconf"
	DefaultMaxRequestSize    = 32 << 20
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 2 * time.Minute
	DefaultIdleTimeout       = 10 * time.Minute
	DefaultRealm             = "netconf"
)

// Transport names given to the engine (ietf-netconf-monitoring style).
const (
	TransportHTTP  = "netconf-soap-over-http"
	TransportHTTPS = "netconf-soap-over-https"
)

// Options configures a Server. The zero value is usable: every zero field
// means its documented default.
type Options struct {
	// Path is the URL path of the service. Default DefaultPath
	// ("/netconf").
	Path string

	// PublicURL, when set, is the service address written into the
	// served WSDL, for servers behind a proxy or NAT. By default the
	// address is the URL the client fetched the WSDL from: https when the
	// connection uses TLS, the Host header, and Path.
	PublicURL string

	// MaxRequestSize is the largest request body accepted, in bytes.
	// A larger request is answered 413 with a too-big fault, and the
	// connection, and so the session, is closed, since the rest of the
	// body cannot be skipped cheaply. Default DefaultMaxRequestSize
	// (32 MiB).
	MaxRequestSize int64

	// MaxDepth is the deepest element nesting accepted in a request
	// envelope, counting Envelope as 1. Default soapenv.DefaultMaxDepth.
	MaxDepth int

	// ReadHeaderTimeout bounds the reading of request headers. Default
	// DefaultReadHeaderTimeout.
	ReadHeaderTimeout time.Duration

	// ReadTimeout bounds the reading of a whole request, body included.
	// Default DefaultReadTimeout.
	ReadTimeout time.Duration

	// IdleTimeout closes a connection, and so ends its session, when no
	// request arrives for that long after the last response. Default
	// DefaultIdleTimeout.
	IdleTimeout time.Duration

	// AllowInsecureBasic allows HTTP Basic authentication over plaintext
	// HTTP on a listener that is not a loopback address. Without it such
	// requests are refused with 403, since they would expose the
	// password.
	AllowInsecureBasic bool

	// CertUsers maps TLS client certificates to usernames. A client whose
	// verified certificate is mapped needs no password. Nil disables
	// certificate login.
	CertUsers *auth.CertUsers

	// Limiter slows down repeated authentication failures from one
	// address. Nil means a new auth.Limiter of the Server's own.
	Limiter *auth.Limiter

	// Realm is the realm of the WWW-Authenticate challenge. Default
	// DefaultRealm.
	Realm string

	// Logger receives connection and authentication events. Nil means
	// slog.Default().
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Path == "" {
		o.Path = DefaultPath
	}
	if o.MaxRequestSize <= 0 {
		o.MaxRequestSize = DefaultMaxRequestSize
	}
	if o.ReadHeaderTimeout <= 0 {
		o.ReadHeaderTimeout = DefaultReadHeaderTimeout
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = DefaultReadTimeout
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.Limiter == nil {
		o.Limiter = auth.NewLimiter()
	}
	if o.Realm == "" {
		o.Realm = DefaultRealm
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}
