package main

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"

	"golang.org/x/crypto/ssh"

	"github.com/ncsoap/ncsoap/framing"
	"github.com/ncsoap/ncsoap/soapenv"
)

// The bounds: servers that do only what a transport must, parse the
// envelope or the framing, and answer every rpc with the same fixed
// data. They answer with the bytes ncsoap sends for the small
// get-config, so that a ratio compares servers, not payloads.

const baseNS = "urn:ietf:params:xml:ns:netconf:base:1.0"

// bareHello is the server hello of the bounds.
const bareHello = `<hello xmlns="` + baseNS + `"><capabilities>` +
	`<capability>urn:ietf:params:netconf:base:1.0</capability>` +
	`<capability>urn:ietf:params:netconf:base:1.1</capability>` +
	`</capabilities><session-id>1</session-id></hello>`

// messageID returns the value of the first message-id attribute in msg.
func messageID(msg []byte) []byte {
	const attr = `message-id="`
	i := bytes.Index(msg, []byte(attr))
	if i < 0 {
		return nil
	}
	rest := msg[i+len(attr):]
	if j := bytes.IndexByte(rest, '"'); j >= 0 {
		return rest[:j]
	}
	return nil
}

// appendReply appends an rpc-reply with message-id id holding data.
func appendReply(b []byte, id, data []byte) []byte {
	b = append(b, `<rpc-reply xmlns="`+baseNS+`" message-id="`...)
	b = append(b, id...)
	b = append(b, `"><data>`...)
	b = append(b, data...)
	return append(b, `</data></rpc-reply>`...)
}

// appendOK appends an rpc-reply with message-id id holding <ok/>.
func appendOK(b, id []byte) []byte {
	b = append(b, `<rpc-reply xmlns="`+baseNS+`" message-id="`...)
	b = append(b, id...)
	return append(b, `"><ok/></rpc-reply>`...)
}

// bareHTTP returns the bare net/http handler: it parses the SOAP envelope
// with soapenv and answers hello with a fixed hello and every rpc with
// the fixed data.
func bareHTTP(data []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := soapenv.ReadRequest(r.Body, nil)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", soapenv.ContentType(req.Version))
		soapenv.WriteEnvelope(w, req.Version, func(w io.Writer) error {
			if req.Name.Local == "hello" {
				_, err := io.WriteString(w, bareHello)
				return err
			}
			_, err := w.Write(appendReply(nil, messageID(req.Body), data))
			return err
		})
	})
}

// bareSSH serves the netconf subsystem on every connection of l with
// x/crypto/ssh and the framing package, answering like bareHTTP, except
// that an edit-config gets <ok/> (the bound of the small edit-config). It
// accepts only the public key allowed.
func bareSSH(l net.Listener, hostKey ssh.Signer, allowed ssh.PublicKey, data []byte) {
	cfg := &ssh.ServerConfig{
		PublicKeyCallback: func(_ ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			if !bytes.Equal(k.Marshal(), allowed.Marshal()) {
				return nil, errBadKey
			}
			return &ssh.Permissions{}, nil
		},
	}
	cfg.AddHostKey(hostKey)
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go bareSSHConn(c, cfg, data)
	}
}

var errBadKey = errors.New("ncsoap-bench: key not allowed")

func bareSSHConn(c net.Conn, cfg *ssh.ServerConfig, data []byte) {
	defer c.Close()
	_, chans, reqs, err := ssh.NewServerConn(c, cfg)
	if err != nil {
		return
	}
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "session only")
			continue
		}
		ch, chReqs, err := nc.Accept()
		if err != nil {
			continue
		}
		go func() {
			for req := range chReqs {
				ok := req.Type == "subsystem"
				req.Reply(ok, nil)
				if ok {
					go bareSession(ch, data)
				}
			}
		}()
	}
}

// bareSession runs one bare NETCONF session on ch.
func bareSession(ch ssh.Channel, data []byte) {
	defer ch.Close()
	r, w := framing.NewReader(ch), framing.NewWriter(ch)
	if err := w.WriteMessage([]byte(bareHello)); err != nil {
		return
	}
	hello, err := r.ReadMessage()
	if err != nil {
		return
	}
	if bytes.Contains(hello, []byte("urn:ietf:params:netconf:base:1.1")) {
		r.Upgrade()
		w.Upgrade()
	}
	var out []byte
	for {
		msg, err := r.ReadMessage()
		if err != nil {
			return
		}
		id := messageID(msg)
		if bytes.Contains(msg, []byte("<close-session")) {
			w.WriteMessage(appendOK(nil, id))
			return
		}
		if bytes.Contains(msg, []byte("<edit-config")) {
			out = appendOK(out[:0], id)
		} else {
			out = appendReply(out[:0], id, data)
		}
		if err := w.WriteMessage(out); err != nil {
			return
		}
	}
}
