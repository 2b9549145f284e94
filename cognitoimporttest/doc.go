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
// misused (as httptest's helpers do), never later inside a request; a Server
// from NewTestServer fails its test with t.Fatalf instead, and is closed
// when the test ends.
//
// To test an import: WithUserPool configures a pool (custom, required and
// auto-verified attributes, MFA) behind GetCSVHeader and DescribeUserPool;
// a started job reads the uploaded file by the same rules as the client's
// checker and imports its rows at WithImportRate users a second of the
// server's clock, which a Clock shared with the client drives without
// sleeping; Users, JobLog and AddUser show and seed what an import produced
// and skips; Calls records what each request carried; DropNext, ClearFaults
// and the Upload pseudo-operation extend the faults to the upload. The
// choices the server makes where the service's behaviour is undocumented are
// listed with JobStatus.
//
// To test an export or a copy of a pool: AddUser seeds users of any status
// (UserStatusConfirmed, UserStatusExternalProvider...), enabled or Disabled,
// with a Sub (a new UUID when empty) and custom attributes; AddGroup seeds
// groups and their members; the server answers ListUsers (Limit up to 60,
// PaginationToken, AttributesToGet, and a Filter of one attribute = or ^=
// a quoted value), ListGroups, ListUsersInGroup, CreateGroup and
// AdminAddUserToGroup, and Groups reads the groups back. It keeps no dates
// per user or group (UserCreateDate and the like are the pool's creation
// time), shows a user with MFAEnabled as having an SMS MFA option, and does
// not check the pattern of a group name.
//
// Where the server differs from the service (Server's documentation says
// more): user pools exist only through its Go API; the PreSignedUrl of a job
// points at the server itself; an operation it lacks gets an
// UnknownOperationException that names the ones it has; a validation message
// quotes at most the first 256 characters of a value; the only quotas are
// the faults a test injects, the 1,000 jobs a pool holds (MaxJobsPerPool),
// and the memory given to uploaded files (WithMaxUploadBytes).
//
// The server is safe to leave running against misbehaving clients: it closes
// a connection that stalls in its headers (10 s), its request (1 min), the
// writing of its response (30 s) or between requests (2 min), and Close
// waits at most a second for requests in flight before it closes their
// connections. Its memory is bounded: at most MaxJobsPerPool jobs a pool,
// and at most WithMaxUploadBytes (default 512 MiB) of uploaded files, each
// released when its job ends or expires (after 24 hours unstarted); an
// upload past that bound gets 503 SlowDown. The command cmd/cognitoimport-server runs the same server as
// a program, for tools and SDKs in other languages.
package cognitoimporttest
