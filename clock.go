package cognitoimport

import (
	"context"
	"time"
)

// Clock is the time source of Wait's polling, of the backoff between
// Upload's attempts and of Upload's check that the pre-signed URL has not
// expired. WithClock sets it; the default is the wall clock.
// cognitoimporttest.Clock implements it for tests that must not wait.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d, and returns ctx.Err() if ctx ends first.
	Sleep(ctx context.Context, d time.Duration) error
}

// WallClock is the Clock of the time package, the default of WithClock: a
// program that chooses its clock (a fake in its tests) uses it for the real
// time. Its zero value is ready to use.
type WallClock struct{}

// Now returns time.Now().
func (WallClock) Now() time.Time { return time.Now() }

// Sleep waits for d on a timer, and returns ctx.Err() if ctx ends first (or
// has ended). It returns nil at once when d is not positive.
func (WallClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
