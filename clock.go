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

// wallClock is the Clock of the time package.
type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

func (wallClock) Sleep(ctx context.Context, d time.Duration) error {
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
