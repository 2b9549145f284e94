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
// and skips; the jobs' logs are served over CloudWatch Logs' own API on the
// same endpoint (cloudwatchlogs.NewFromConfig(srv.Config()) reads them:
// GetLogEvents, FilterLogEvents, DescribeLogStreams, DescribeLogGroups; see
// "Logs" below); Calls records what each request carried; DropNext, ClearFaults
// and the Upload pseudo-operation extend the faults to the upload. The
// choices the server makes where the service's behaviour is undocumented are
// listed with JobStatus and Upload.
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
// not check the pattern of a group name. CreateGroup and AdminAddUserToGroup
// keep to the service's quotas (MaxGroupsPerPool, MaxGroupsPerUser).
//
// Where the server differs from the service (Server's documentation says
// more): user pools exist only through its Go API; the PreSignedUrl of a job
// points at the server itself; a job's PasswordHashingAlgorithm is checked,
// kept and returned, but the server reads no password hash from the file and
// every imported user is RESET_REQUIRED; an operation it lacks gets an
// UnknownOperationException that names the ones it has; a validation message
// quotes at most the first 256 characters of a value; its quotas are the
// 1,000 jobs a pool holds (MaxJobsPerPool), the documented request rates
// only with WithRateLimits, and the bounds on its memory below, besides the
// faults a test injects.
//
// # Logs
//
// A started job writes its log as the service does: group
// /aws/cognito/userpools/<PoolId>/<PoolName>, stream <JobId>/<JobName>, two
// events "Cognito User Pools Import - Test Log", then one event a row,
// "[SUCCEEDED] Line Number N - The import succeeded.", "[SKIPPED] Line
// Number N - The user already exists." or "[FAILED] Line Number N -
// <reason>", where N counts the header as line 1. Logs_20140328 requests
// are signed for the service name "logs" and verified as Cognito's are; the
// answers page with nextForwardToken/nextBackwardToken or nextToken, hold
// at most limit events (10,000 at most) and 1 MB, and fail with
// ResourceNotFoundException ("The specified log group does not exist." /
// "The specified log stream does not exist.") or InvalidParameterException.
// Where the service's behaviour is not documented, the server's choices:
//
//   - The stream, and the pool's group with its first stream, exist from
//     StartUserImportJob on; a job that was never started, or that SeedJobs
//     or SetJob made, has none.
//   - Both test-log events carry the job's StartDate (the service's come
//     about 1.5 s apart); row n's event carries the time it was done,
//     StartDate + n/WithImportRate, as timestamp and ingestion time: the
//     events come in file order.
//   - Reasons: one failure's text is the service's own, recorded in a real
//     log ("The User Record does not set any of the auto verified attributes
//     to true. (Example: email_verified to true)."); every other rule's text
//     is the server's, in the same style, naming the rule, and for a rule of
//     one column that column, never a value of the row. A client must parse
//     any text after " - ".
//   - FilterLogEvents reads the streams in the order their jobs started
//     (time order: one job runs at a time) and implements filter patterns
//     of plain terms and quoted phrases only, all of which an event must
//     contain, case-sensitive; other syntaxes get an
//     InvalidParameterException that says so. Tokens are the server's own;
//     one it did not write is an InvalidParameterException.
//
// The server is safe to leave running against misbehaving clients: it closes
// a connection that stalls in its headers (10 s), its request (1 min), the
// writing of its response (30 s) or between requests (2 min), and Close
// waits at most a second for requests in flight before it closes their
// connections. Its memory is bounded: at most MaxJobsPerPool jobs a pool;
// records of requests within DefaultMaxCalls and MaxCallBytes, without the
// bodies of requests it did not authenticate; at most WithMaxUploadBytes
// (default 512 MiB) of uploaded files, taken as their bytes arrive and
// released when their job ends or expires (after 24 hours unstarted), an
// upload past the bound getting 503 SlowDown; and jobs' logs within
// MaxLogBytes, past which the logs of ended jobs are evicted, oldest first
// (the users they imported stay). The command cmd/cognitoimport-server runs
// the same server as a program, for tools and SDKs in other languages.
package cognitoimporttest
