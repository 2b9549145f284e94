package cognitoimport_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/cognitoimport/cognitoimport"
)

// TestNewUsersWriterRequiresMFAColumn: the service requires
// cognito:mfa_enabled in every users file (IMPORT.md); a header without it
// is refused, rather than a writer that silently drops User.MFAEnabled.
func TestNewUsersWriterRequiresMFAColumn(t *testing.T) {
	t.Parallel()
	_, err := cognitoimport.NewUsersWriter(io.Discard, []string{"cognito:username", "email", "email_verified"})
	if !errors.Is(err, cognitoimport.ErrHeader) || !strings.Contains(err.Error(), "cognito:mfa_enabled") {
		t.Errorf("header without cognito:mfa_enabled: %v, want ErrHeader naming the column", err)
	}
	var b strings.Builder
	w, err := cognitoimport.NewUsersWriter(&b, []string{"cognito:username", "email", "email_verified", "cognito:mfa_enabled"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(cognitoimport.User{Username: "a", Email: "a@example.com", EmailVerified: true, MFAEnabled: true}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := "cognito:username,email,email_verified,cognito:mfa_enabled\na,a@example.com,TRUE,TRUE\n"; b.String() != want {
		t.Errorf("wrote %q, want %q", b.String(), want)
	}
}
