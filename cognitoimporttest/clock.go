package cognitoimporttest

import (
	"context"
	"sync"
	"time"
)

// Clock is a fake clock that only moves when told to. Pass its Now method to
// WithClock, and the Clock itself to a client that takes one (the
// cognitoimport package's WithClock), so that the server and the client share
// one time: a client that sleeps between polls then advances the server's
// clock, and a whole import runs without waiting for real time to pass.
//
// A Clock is safe for concurrent use. Its zero value is not usable: call
// NewClock.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock that reads start until it is advanced.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d. A negative d is ignored: the clock
// never goes back.
func (c *Clock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Sleep advances the clock by d and returns at once, unless ctx is done
// first: then it returns ctx.Err() and leaves the clock as it was. It has the
// signature of the cognitoimport package's Clock interface.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(d)
	return nil
}
