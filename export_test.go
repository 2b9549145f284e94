package cognitoimport

import (
	"io"

	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// CheckFileWithLimits is CheckFile with the file's limits lowered to
// maxBytes bytes and maxUsers users (0 keeps a documented limit), so that a
// test reaches them with a small file. TestCheckFileDocumentedLimits holds
// the limits CheckFile itself applies.
func CheckFileWithLimits(r io.Reader, rules PoolSettings, opts CheckOptions, maxBytes int64, maxUsers int) (int, error) {
	ir := rules.internal()
	ir.MaxBytes, ir.MaxUsers = maxBytes, maxUsers
	return checkFile(r, ir, opts)
}

// CheckerRules returns the rules CheckFile gives the shared checker for rules.
func CheckerRules(rules PoolSettings) usersfile.Rules { return rules.internal() }

// WithMaxResponseBytes lowers the Client's bound on a response body from
// MaxResponseBytes to n, so that a test reaches it with a small response.
func WithMaxResponseBytes(n int64) Option { return func(c *Client) { c.maxResponseBytes = n } }
