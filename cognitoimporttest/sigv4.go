package cognitoimporttest

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// SigV4 verification, as AWS does it for this service: the signature is
// recomputed from the request with the server's secret key and compared. The
// messages are the ones AWS sends.

const (
	sigAlgorithm  = "AWS4-HMAC-SHA256"
	sigService    = "cognito-idp"
	sigTerminator = "aws4_request"
	sigTimeFormat = "20060102T150405Z"
	// maxSkew is how far a signature's time may be from the server's clock.
	maxSkew = 15 * time.Minute
)

func authError(code, msg string) *Error { return &Error{Code: code, Message: msg} }

func incomplete(msg string) *Error { return authError("IncompleteSignatureException", msg) }

func invalidSignature(msg string) *Error { return authError("InvalidSignatureException", msg) }

var errUnrecognizedClient = &Error{
	Code:    "UnrecognizedClientException",
	Message: "The security token included in the request is invalid.",
}

// authenticate checks r's SigV4 signature over body against the server's
// credentials, and returns the service's error if it does not hold.
func (s *Server) authenticate(r *http.Request, body []byte, now time.Time) *Error {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return authError("MissingAuthenticationTokenException", "Missing Authentication Token")
	}
	algorithm, params, _ := strings.Cut(auth, " ")
	if algorithm != sigAlgorithm {
		return incomplete("Unsupported AWS 'algorithm': '" + algorithm + "'.")
	}
	var credential, signedHeaders, signature string
	for _, kv := range strings.Split(params, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		switch k {
		case "Credential":
			credential = v
		case "SignedHeaders":
			signedHeaders = v
		case "Signature":
			signature = v
		}
	}
	switch {
	case credential == "":
		return incomplete("Authorization header requires 'Credential' parameter. Authorization=" + auth)
	case signedHeaders == "":
		return incomplete("Authorization header requires 'SignedHeaders' parameter. Authorization=" + auth)
	case signature == "":
		return incomplete("Authorization header requires 'Signature' parameter. Authorization=" + auth)
	}
	scope := strings.Split(credential, "/")
	if len(scope) != 5 {
		return incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + credential + "'")
	}
	keyID, day, region, service, term := scope[0], scope[1], scope[2], scope[3], scope[4]

	if keyID != s.creds.AccessKeyID {
		return errUnrecognizedClient
	}
	if token := r.Header.Get("X-Amz-Security-Token"); token != s.creds.SessionToken {
		return errUnrecognizedClient
	}

	amzDate := r.Header.Get("X-Amz-Date")
	if amzDate == "" {
		return incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + auth)
	}
	signedAt, err := time.Parse(sigTimeFormat, amzDate)
	if err != nil {
		return incomplete("Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'. See http://en.wikipedia.org/wiki/ISO_8601")
	}
	if term != sigTerminator {
		return invalidSignature("Credential should be scoped with a valid terminator: 'aws4_request', not '" + term + "'.")
	}
	if service != sigService {
		return invalidSignature("Credential should be scoped to correct service: '" + sigService + "'. ")
	}
	if day != amzDate[:8] {
		return invalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
			day + "' != '" + amzDate[:8] + "', from '" + amzDate + "'.")
	}
	headerNames := strings.Split(signedHeaders, ";")
	if !slices.Contains(headerNames, "host") {
		return invalidSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	// The date must be signed too, or a captured request could be replayed
	// with any date; SigV4 requires it of a request that carries the header.
	if !slices.Contains(headerNames, "x-amz-date") {
		return invalidSignature("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.")
	}
	nowUTC := now.UTC()
	if signedAt.Before(nowUTC.Add(-maxSkew)) {
		return invalidSignature("Signature expired: " + amzDate + " is now earlier than " +
			nowUTC.Add(-maxSkew).Format(sigTimeFormat) + " (" + nowUTC.Format(sigTimeFormat) + " - 15 min.)")
	}
	if signedAt.After(nowUTC.Add(maxSkew)) {
		return invalidSignature("Signature not yet current: " + amzDate + " is still later than " +
			nowUTC.Add(maxSkew).Format(sigTimeFormat) + " (" + nowUTC.Format(sigTimeFormat) + " + 15 min.)")
	}

	canonical := canonicalRequest(r, headerNames, signedHeaders, body)
	sum := sha256.Sum256([]byte(canonical))
	stringToSign := sigAlgorithm + "\n" + amzDate + "\n" +
		day + "/" + region + "/" + service + "/" + sigTerminator + "\n" + hex.EncodeToString(sum[:])

	key := hmacSHA256([]byte("AWS4"+s.creds.SecretAccessKey), day)
	key = hmacSHA256(key, region)
	key = hmacSHA256(key, service)
	key = hmacSHA256(key, sigTerminator)
	want := hex.EncodeToString(hmacSHA256(key, stringToSign))
	if subtle.ConstantTimeCompare([]byte(want), []byte(signature)) != 1 {
		return invalidSignature("The request signature we calculated does not match the signature you provided. " +
			"Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	}
	return nil
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// canonicalRequest builds the SigV4 canonical request of r over the headers
// the client says it signed, in the order it lists them: a list out of order
// gives another signature, as it does at AWS.
func canonicalRequest(r *http.Request, headerNames []string, signedHeaders string, body []byte) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	b.WriteString(path)
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.RawQuery))
	b.WriteByte('\n')
	for _, name := range headerNames {
		b.WriteString(name)
		b.WriteByte(':')
		var values []string
		switch name {
		case "host":
			values = []string{r.Host}
		case "content-length":
			values = r.Header.Values("Content-Length")
			if len(values) == 0 && r.ContentLength >= 0 {
				values = []string{strconv.FormatInt(r.ContentLength, 10)}
			}
		default:
			values = r.Header.Values(name)
		}
		for i, v := range values {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strings.Join(strings.Fields(v), " "))
		}
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(signedHeaders)
	b.WriteByte('\n')
	sum := sha256.Sum256(body)
	b.WriteString(hex.EncodeToString(sum[:]))
	return b.String()
}

// canonicalQuery sorts the query's parameters by name, then value, each
// encoded as SigV4 requires.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	q, _ := url.ParseQuery(raw)
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return sigEscape(keys[i]) < sigEscape(keys[j]) })
	var pairs []string
	for _, k := range keys {
		vs := make([]string, len(q[k]))
		for i, v := range q[k] {
			vs[i] = sigEscape(v)
		}
		sort.Strings(vs)
		for _, v := range vs {
			pairs = append(pairs, sigEscape(k)+"="+v)
		}
	}
	return strings.Join(pairs, "&")
}

// sigEscape percent-encodes every byte but RFC 3986's unreserved characters.
func sigEscape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}
