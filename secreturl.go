package cognitoimport

import (
	"fmt"
	"log/slog"
	"strings"
	"unique"
)

// SecretURL is a URL that carries a credential in its query string, as a
// job's pre-signed upload URL does: whoever holds it can upload users into
// the pool until it expires, 15 minutes after the job was created. Reveal
// returns the URL, for the one place that uses it (the upload request);
// everything else sees it redacted.
//
// Redacted means that the scheme, host and path show and "REDACTED" replaces
// the query string and fragment, as in "https://bucket.s3.amazonaws.com/key?REDACTED".
// That is what these show, for a SecretURL and for the Jobs, slices, maps
// (keys too), structs and errors that hold one:
//
//   - String, and fmt with any verb, flag and width, %#v included;
//   - log and log/slog, with the text and the JSON handlers;
//   - encoding/json, encoding/xml and encoding/gob, and any other encoder
//     that uses encoding.TextMarshaler;
//   - text/template and html/template.
//
// Two of fmt's paths call no method at all: the verb %p, and a SecretURL in
// an unexported struct field. They show the address of the value that
// holds the URL in place of it. Every other verb, a bad one such as %d
// included, prints the redacted URL.
//
// What is not covered: the string Reveal returns; code that reads unexported
// fields through reflect and package unsafe, as some debug dumpers do, and
// debuggers; the SDK's own logging of response bodies
// (aws.LogResponseWithBody), which shows the service's answer as it came.
//
// Decoding is loud rather than lossy: UnmarshalText (and so encoding/json,
// encoding/xml and encoding/gob) refuses a redacted URL with an error that
// matches ErrRedactedURL, so that a Job read back from its JSON cannot be
// taken for one that can still be uploaded to. It accepts a full URL.
//
// The zero SecretURL is the empty URL. SecretURLs compare with == by their
// URLs, and so do the Jobs that hold them.
type SecretURL struct {
	// h holds the URL behind a pointer, so that fmt's paths that call no
	// method print an address; a unique.Handle keeps == comparing URLs.
	h unique.Handle[string]
}

// redactedMark replaces a redacted URL's query string and fragment.
const redactedMark = "REDACTED"

// NewSecretURL returns rawURL as a SecretURL.
func NewSecretURL(rawURL string) SecretURL {
	if rawURL == "" {
		return SecretURL{}
	}
	return SecretURL{unique.Make(rawURL)}
}

// Reveal returns the URL with its credentials: the one place to use it is
// the request that uploads the users' file. Do not log or print the result.
func (u SecretURL) Reveal() string {
	if u == (SecretURL{}) {
		return ""
	}
	return u.h.Value()
}

// String returns u redacted, such as "https://bucket.s3.amazonaws.com/key?REDACTED".
func (u SecretURL) String() string {
	s := u.Reveal()
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		return s[:i+1] + redactedMark
	}
	return s
}

// Equal reports whether u and v are the same URL, as u == v does. It is
// there for comparison libraries (such as go-cmp) that cannot look into
// SecretURL's unexported field.
func (u SecretURL) Equal(v SecretURL) bool { return u == v }

// Format implements fmt.Formatter: every verb, flag and width prints u
// redacted, as a string.
func (u SecretURL) Format(f fmt.State, verb rune) {
	switch verb {
	case 'v', 's', 'q', 'x', 'X':
	default:
		verb = 'v'
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), u.String())
}

// MarshalText implements encoding.TextMarshaler: u redacted.
func (u SecretURL) MarshalText() ([]byte, error) { return []byte(u.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler. It sets u to text, and
// returns an error that matches ErrRedactedURL, leaving u unchanged, if text
// is a redacted URL (its query string or fragment is "REDACTED").
func (u *SecretURL) UnmarshalText(text []byte) error {
	s := string(text)
	if i := strings.IndexAny(s, "?#"); i >= 0 && s[i+1:] == redactedMark {
		return fmt.Errorf("%w: %s", ErrRedactedURL, s)
	}
	*u = NewSecretURL(s)
	return nil
}

// GobEncode implements gob.GobEncoder: u redacted. (encoding/gob does not
// use MarshalText.)
func (u SecretURL) GobEncode() ([]byte, error) { return u.MarshalText() }

// GobDecode implements gob.GobDecoder as UnmarshalText does: a redacted URL
// is refused with an error that matches ErrRedactedURL.
func (u *SecretURL) GobDecode(b []byte) error { return u.UnmarshalText(b) }

// LogValue implements slog.LogValuer: u redacted.
func (u SecretURL) LogValue() slog.Value { return slog.StringValue(u.String()) }
