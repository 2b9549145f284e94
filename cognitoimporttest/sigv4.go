package cognitoimporttest

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// SigV4 verification, as AWS does it for this service: the signature is
// recomputed from the request with the server's secret key and compared. The
// messages are the ones AWS sends. The canonical request is not written here:
// resign has aws-sdk-go-v2's signer compute the signature.

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
		return incomplete("Unsupported AWS 'algorithm': '" + quote(algorithm) + "'.")
	}
	credential, signedHeaders, signature := authParams(params)
	switch {
	case credential == "":
		return incomplete("Authorization header requires 'Credential' parameter. Authorization=" + quote(auth))
	case signedHeaders == "":
		return incomplete("Authorization header requires 'SignedHeaders' parameter. Authorization=" + quote(auth))
	case signature == "":
		return incomplete("Authorization header requires 'Signature' parameter. Authorization=" + quote(auth))
	}
	scope := strings.Split(credential, "/")
	if len(scope) != 5 {
		return incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + quote(credential) + "'")
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
		return incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + quote(auth))
	}
	signedAt, err := time.Parse(sigTimeFormat, amzDate)
	if err != nil {
		return incomplete("Date must be in ISO-8601 'basic format'. Got '" + quote(amzDate) + "'. See http://en.wikipedia.org/wiki/ISO_8601")
	}
	if term != sigTerminator {
		return invalidSignature("Credential should be scoped with a valid terminator: 'aws4_request', not '" + quote(term) + "'.")
	}
	if want := signingName(r); service != want { // logs.go: "logs" for CloudWatch Logs
		return invalidSignature("Credential should be scoped to correct service: '" + want + "'. ")
	}
	// A signature is valid in one region only, as at AWS: a client that
	// signs for another region is talking to the wrong endpoint.
	if region != s.region {
		return invalidSignature("Credential should be scoped to a valid region, not '" + quote(region) + "'. ")
	}
	if day != amzDate[:8] {
		return invalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
			quote(day) + "' != '" + amzDate[:8] + "', from '" + amzDate + "'.")
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
	// Every x-amz-* header present, Content-Type and X-Amz-Target must be
	// signed, as AWS requires of its JSON protocols: an unsigned X-Amz-Target
	// would let a captured request be replayed as another operation.
	if name := unsignedRequired(r, headerNames); name != "" {
		return invalidSignature("'" + quote(name) + "' must be a 'SignedHeader' in the AWS Authorization.")
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

	creds := aws.Credentials{AccessKeyID: keyID, SecretAccessKey: s.creds.SecretAccessKey}
	wantHeaders, want, err := resign(r, headerNames, body, creds, service, region, signedAt)
	if err != nil || wantHeaders != signedHeaders || subtle.ConstantTimeCompare([]byte(want), []byte(signature)) != 1 {
		return invalidSignature("The request signature we calculated does not match the signature you provided. " +
			"Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	}
	return nil
}

// unsignedRequired returns the name of the first header of r, in sorted
// order, that must be signed and is not in signed, or "". The JSON API
// requires every x-amz-* header and Content-Type to be signed.
func unsignedRequired(r *http.Request, signed []string) string {
	missing := unsignedHeaders(r.Header, signed, "content-type")
	if len(missing) == 0 {
		return ""
	}
	return missing[0]
}

// unsignedHeaders returns, sorted, the names of the headers of h that must
// be signed and are not in signed (lower-case names, as SignedHeaders lists
// them): every x-amz-* header, and the ones named in also. The names are
// h's own (canonical) keys.
func unsignedHeaders(h http.Header, signed []string, also ...string) []string {
	var missing []string
	for name := range h {
		lower := strings.ToLower(name)
		if (strings.HasPrefix(lower, "x-amz-") || slices.Contains(also, lower)) && !slices.Contains(signed, lower) {
			missing = append(missing, name)
		}
	}
	slices.Sort(missing)
	return missing
}

// jsonSigner verifies the signatures of the JSON API's requests (upload.go
// has S3's). It caches signing keys, so all servers share it.
var jsonSigner = v4.NewSigner()

// resign signs, with aws-sdk-go-v2's own SigV4 signer, a copy of r made of
// what r's signature covers: its method, path and query, the headers named in
// signed (in the canonical form: lower-case names, sorted) and body. It
// returns the signed headers and the signature the signer computed; r's
// signature holds if both are the ones r carries. A client that lists its
// signed headers out of order, or twice, gets another list, as it would get
// another signature at AWS.
//
// The signer cannot be given every request a client may sign; where it
// cannot, the copy is built so that it signs what the client did:
//   - It never signs Authorization, User-Agent, X-Amzn-Trace-Id, Expect and
//     Transfer-Encoding, which other SDKs do sign (Java's v1 SDK signs
//     User-Agent). It leaves them out by their canonical key only, so the
//     copy holds every header under its lower-case name, which the signer
//     signs like any other.
//   - It signs Content-Length from the request's length, and only when it is
//     more than 0: a client that signs "content-length:0" gets another list
//     of signed headers, and is refused. No client of a JSON protocol sends
//     an empty body.
//   - It writes X-Amz-Date from the signing time, which is parsed from the
//     request's X-Amz-Date in the one format that writes it back unchanged.
//   - It would add X-Amz-Security-Token from the credentials: that is turned
//     off, and the header copied like any other signed one.
//   - The copy's URL has no scheme, so that the signer does not strip a port
//     80 or 443 from the Host the client signed.
func resign(r *http.Request, signed []string, body []byte, creds aws.Credentials, service, region string, at time.Time) (signedHeaders, signature string, err error) {
	u := *r.URL
	u.Scheme, u.Host, u.User, u.Fragment, u.RawFragment = "", "", nil, "", ""
	req := &http.Request{Method: r.Method, URL: &u, Host: r.Host, Header: make(http.Header, len(signed))}
	for _, name := range signed {
		switch name {
		case "host": // signed from req.Host
		case "content-length":
			req.ContentLength = r.ContentLength
		case "x-amz-date": // written by the signer, from at
		default:
			req.Header[name] = r.Header.Values(name)
		}
	}
	sum := sha256.Sum256(body)
	err = jsonSigner.SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, region, at,
		func(o *v4.SignerOptions) { o.DisableSessionToken = true })
	if err != nil {
		return "", "", err
	}
	_, params, _ := strings.Cut(req.Header.Get("Authorization"), " ")
	_, signedHeaders, signature = authParams(params)
	return signedHeaders, signature, nil
}

// authParams returns the parameters of an Authorization header after its
// algorithm: "Credential=..., SignedHeaders=..., Signature=...". The last
// of a repeated parameter wins; a missing one is "".
func authParams(params string) (credential, signedHeaders, signature string) {
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
	return credential, signedHeaders, signature
}
