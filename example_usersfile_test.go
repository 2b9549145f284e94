package cognitoimport_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/cognitoimport/cognitoimport"
)

func ExampleUsersWriter() {
	// The header comes from the pool: Client.CSVHeader, or PoolSettings.Header.
	header := []string{"cognito:username", "name", "email", "email_verified", "birthdate", "cognito:mfa_enabled", "custom:dept"}

	var file bytes.Buffer // an *os.File in real use
	w, err := cognitoimport.NewUsersWriter(&file, header)
	if err != nil {
		log.Fatal(err)
	}
	users := []cognitoimport.User{
		{Username: "john", Name: "Doe, John", Email: "john@example.com", EmailVerified: true,
			Birthdate: time.Date(1985, time.February, 1, 0, 0, 0, 0, time.UTC), Custom: map[string]string{"dept": "sales"}},
		{Username: "jane roe", Email: "jane@example.com", EmailVerified: true}, // refused: white space
		{Username: "jane", Name: " Jane Roe ", Email: "jane@example.com", EmailVerified: true},
	}
	for _, u := range users {
		if err := w.Write(u); err != nil {
			var refused *cognitoimport.UserError
			if errors.As(err, &refused) {
				fmt.Println("skipped:", refused.Username, refused.Attribute, refused.Reason)
				continue
			}
			log.Fatal(err) // the underlying writer failed
		}
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	fmt.Print(file.String())
	fmt.Println(w.Users(), "users,", w.Size(), "bytes") // the upload's size
	// Output:
	// skipped: jane roe cognito:username contains white space
	// cognito:username,name,email,email_verified,birthdate,cognito:mfa_enabled,custom:dept
	// john,Doe\, John,john@example.com,TRUE,02/01/1985,FALSE,sales
	// jane,Jane Roe,jane@example.com,TRUE,,FALSE,
	// 2 users, 190 bytes
}

func ExampleCheckFile() {
	file := strings.NewReader(`cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled
John,,John,Doe,,,,,,,johndoe@example.com,TRUE,,02/01/1985,,,+12345550100,TRUE,123 Any Street,,FALSE
Jane Roe,,Jane,Roe,,,,,,,janeroe@example.com,FALSE,,1985-01-01,,,+12345550199,TRUE,100 Main Street,,FALSE
`)
	// Client.PoolSettings reads the rules of a real pool; these are a default pool's.
	rules := cognitoimport.DefaultPoolSettings("us-east-1_EXAMPLE")

	users, err := cognitoimport.CheckFile(file, rules, cognitoimport.CheckOptions{})
	var problems *cognitoimport.FileError
	if errors.As(err, &problems) {
		for _, p := range problems.Problems {
			fmt.Printf("users.csv:%d: %s (%s)\n", p.Line, p.Message, p.Rule)
		}
	} else if err != nil {
		log.Fatal(err) // reading failed
	}
	fmt.Println(users, "users,", problems.Total, "problems")
	// Output:
	// users.csv:3: the username contains white space (username-space)
	// users.csv:3: none of the pool's auto-verified attributes is verified (TRUE) (auto-verified)
	// users.csv:3: birthdate must be a date written mm/dd/yyyy (birthdate-format)
	// 2 users, 3 problems
}
