// Package cognitoimporttest provides an in-memory Amazon Cognito user pools
// endpoint for tests, as net/http/httptest provides an HTTP server: code that
// imports users can be tested through the real AWS SDK, over HTTP, with no
// AWS account.
//
// NewServer starts a Server on 127.0.0.1 with a free port; its Config method
// returns an aws.Config that points at it, so that
//
//	srv := cognitoimporttest.NewServer(cognitoimporttest.WithUserPools("us-east-1_test"))
//	defer srv.Close()
//	client := cognitoidentityprovider.NewFromConfig(srv.Config())
//
// needs nothing else. The server runs whole user imports (the operations
// Server lists, and the upload of the users file to a job's PreSignedUrl) and
// speaks the service's AWS JSON 1.1 protocol as the service does: it verifies
// SigV4 signatures (with aws-sdk-go-v2's own signer), answers invalid input
// with the service's validation reports, sends errors in the service's shapes
// and status codes, and pages with opaque tokens.
//
// A test arranges state and faults through the Go API: CreateUserPool and
// SeedJobs add pools and jobs, SetJob moves a job, Jobs and Requests report
// what the server holds and received; FailNext, DelayNext, FailRandomly and
// EmptyPagesNext make later requests fail, wait, or page oddly. These panic
// at the call, with a message that names the bad argument, when they are
// misused (as httptest's helpers do), never later inside a request.
//
// Where the server differs from the service (Server's documentation says
// more): user pools exist only through its Go API; the PreSignedUrl of a job
// points at the server itself; an operation it lacks gets an
// UnknownOperationException that names the ones it has; a validation message
// quotes at most the first 256 characters of a value; and there are no
// quotas but the faults a test injects.
//
// The server is safe to leave running against misbehaving clients: it closes
// a connection that stalls in its headers (10 s), its request (1 min), the
// writing of its response (30 s) or between requests (2 min), and Close
// waits at most a second for requests in flight before it closes their
// connections. The command cmd/cognitoimport-server runs the same server as
// a program, for tools and SDKs in other languages.
package cognitoimporttest
