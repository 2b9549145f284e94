package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go/logging"

	"github.com/cognitoimport/cognitoimport"
)

// client returns a library client configured by the global flags.
func (a *app) client(ctx context.Context) (*cognitoimport.Client, error) {
	var endpoint string
	if a.endpointURL != "" {
		u, err := url.Parse(a.endpointURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, usageErrorf("invalid --endpoint-url %q: want an http or https URL, such as http://127.0.0.1:9229", a.endpointURL)
		}
		endpoint = a.endpointURL
	}
	var opts []func(*config.LoadOptions) error
	if a.region != "" {
		opts = append(opts, config.WithRegion(a.region))
	}
	if a.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(a.profile))
	}
	opts = append(opts, config.WithLogger(sdkLogger{a.stderr}))
	opts = append(opts, a.sys.configOptions...)
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		var missing config.SharedConfigProfileNotExistError
		if a.profile != "" && errors.As(err, &missing) {
			return nil, usageErrorf("invalid --profile %q: no such profile in the shared AWS configuration", a.profile)
		}
		return nil, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, usageErrorf("no Region: give --region, set AWS_REGION, or use a --profile that has one")
	}
	if err := checkCredentials(ctx, cfg); err != nil {
		return nil, err
	}
	api := cognitoidentityprovider.NewFromConfig(cfg, append([]func(*cognitoidentityprovider.Options){func(o *cognitoidentityprovider.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	}}, a.sys.sdkOptions...)...)
	copts := append([]cognitoimport.Option{cognitoimport.WithClock(a.sys.clock)}, a.sys.clientOptions...)
	return cognitoimport.New(api, copts...), nil
}

// sdkLogger writes the SDK's log lines to the command's stderr, except its
// warnings: the only one it gives without a log mode set is "falling back to
// IMDSv1" when it looks for credentials on an EC2 instance, which on any
// other machine precedes the "no credentials" error and says nothing of use.
type sdkLogger struct{ w io.Writer }

func (l sdkLogger) Logf(c logging.Classification, format string, v ...any) {
	if c == logging.Warn {
		return
	}
	fmt.Fprintln(l.w, printable(fmt.Sprintf("SDK "+string(c)+" "+format, v...)))
}

// checkCredentials gets the credentials of cfg once (the SDK caches them
// for the requests that follow), so that their absence is said in one line
// rather than as the chain the first request's error would hold.
func checkCredentials(ctx context.Context, cfg aws.Config) error {
	const how = "set AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
	if cfg.Credentials == nil {
		return fmt.Errorf("no AWS credentials found: %s", how)
	}
	_, err := cfg.Credentials.Retrieve(ctx)
	switch {
	case err == nil:
		return nil
	case strings.Contains(err.Error(), "no EC2 IMDS role found"):
		// The last source of the default chain, the instance metadata
		// service, is reached only when no other gave credentials.
		return fmt.Errorf("no AWS credentials found: %s (nor an EC2 instance role)", how)
	}
	return fmt.Errorf("getting AWS credentials: %w", err)
}

// unreachable returns a line saying which endpoint could not be reached and
// what to check, when err is the failure to reach it (a refused connection,
// a timeout, a name that does not resolve), and false otherwise. It names
// only the URL's scheme and host: an upload's URL holds a credential.
func (a *app) unreachable(err error) (string, bool) {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return "", false
	}
	var (
		dns    *net.DNSError
		neterr net.Error
		why    string
	)
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		why = "connection refused"
	case errors.As(err, &dns):
		why = "no such host"
	case errors.As(err, &neterr) && neterr.Timeout():
		why = "timed out"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		why = "connection closed"
	default:
		return "", false
	}
	where := ue.URL
	if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
		where = u.Scheme + "://" + u.Host
	}
	check := "check the network connection and --region"
	switch {
	case a.endpointURL != "":
		check = "check --endpoint-url, and that the server there is running"
	case strings.Contains(where, ".s3."), strings.Contains(where, "amazonaws.com") && !strings.Contains(where, "cognito-idp"):
		check = "check the network connection"
	}
	return fmt.Sprintf("could not reach %s (%s): %s", where, why, check), true
}
