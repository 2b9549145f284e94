package cognitoimport_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestLayout checks that things live in the files named for them, so that
// a reader finds a rule, an operation or the secret URL by file name:
// every Validate method in validate.go, SecretURL and its methods in
// secreturl.go, the single-call operations on jobs in jobs.go, the
// iterators in paginator.go.
func TestLayout(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	where := map[string]string{} // "Recv.Name" or "Name" -> file
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				key := d.Name.Name
				if d.Recv != nil {
					typ := d.Recv.List[0].Type
					if star, ok := typ.(*ast.StarExpr); ok {
						typ = star.X
					}
					key = typ.(*ast.Ident).Name + "." + key
					if d.Name.Name == "Validate" && name != "validate.go" {
						t.Errorf("%s is in %s, want validate.go", key, name)
					}
				}
				where[key] = name
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok {
						where[ts.Name.Name] = name
					}
				}
			}
		}
	}
	// The package's overview is its own: the test server's is in its
	// package.
	doc, err := parser.ParseFile(fset, "doc.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	if text := doc.Doc.Text(); !strings.HasPrefix(text, "Package cognitoimport is") || strings.Contains(text, "Package cognitoimporttest") {
		t.Errorf("doc.go's overview is not the root package's alone:\n%s", text)
	}
	for key, file := range where {
		if (key == "SecretURL" || strings.HasPrefix(key, "SecretURL.")) && file != "secreturl.go" {
			t.Errorf("%s is in %s, want secreturl.go", key, file)
		}
	}
	for key, want := range map[string]string{
		"SecretURL":                   "secreturl.go",
		"NewSecretURL":                "secreturl.go",
		"CreateJobInput.Validate":     "validate.go",
		"ListJobsInput.Validate":      "validate.go",
		"Client.CreateJob":            "jobs.go",
		"Client.ListJobs":             "jobs.go",
		"ListJobsInput":               "jobs.go",
		"ListJobsOutput":              "jobs.go",
		"Client.Pages":                "paginator.go",
		"Client.Jobs":                 "paginator.go",
		"ServiceError":                "errors.go",
		"TooManyRequestsError.Error":  "errors.go",
		"ValidationError":             "validate.go",
		"ValidationError.Error":       "validate.go",
		"InvalidParameterError.Error": "errors.go",
	} {
		if got := where[key]; got != want {
			t.Errorf("%s is in %q, want %s", key, got, want)
		}
	}
}
