package auth

import (
	"net"
	"sync"
	"time"
)

// Limiter slows down repeated authentication failures from one address:
// after FreeFailures failures, each attempt waits twice as long as the
// previous one, from 250 ms up to 8 s. An address is forgotten after a
// success or ten quiet minutes. It is safe for concurrent use; the zero
// value is not usable, use NewLimiter.
type Limiter struct {
	mu     sync.Mutex
	failed map[string]*failures
	now    func() time.Time
}

// FreeFailures is how many failures an address has before it is slowed.
const FreeFailures = 3

const (
	firstDelay = 250 * time.Millisecond
	maxDelay   = 8 * time.Second
	forgetTime = 10 * time.Minute
)

type failures struct {
	n    int
	last time.Time
}

// NewLimiter returns a Limiter with no failures recorded.
func NewLimiter() *Limiter { return &Limiter{failed: map[string]*failures{}, now: time.Now} }

// host strips the port from addr, so that reconnecting does not reset the
// count.
func host(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}

// Delay returns how long an attempt from addr must wait before its
// credentials are checked.
func (l *Limiter) Delay(addr string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.failed[host(addr)]
	if f == nil || l.now().Sub(f.last) > forgetTime || f.n < FreeFailures {
		return 0
	}
	d := firstDelay << min(f.n-FreeFailures, 5)
	return min(d, maxDelay)
}

// Failure records a failed attempt from addr.
func (l *Limiter) Failure(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for a, f := range l.failed {
		if now.Sub(f.last) > forgetTime {
			delete(l.failed, a)
		}
	}
	h := host(addr)
	f := l.failed[h]
	if f == nil {
		f = &failures{}
		l.failed[h] = f
	}
	f.n++
	f.last = now
}

// Success forgets the failures of addr.
func (l *Limiter) Success(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failed, host(addr))
}
