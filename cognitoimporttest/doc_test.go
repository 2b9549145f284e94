package cognitoimporttest_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackageDoc: the package has its own overview, in doc.go, and only
// there (go doc shows one file's package comment; two would be merged in
// no order a reader expects).
func TestPackageDoc(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var withDoc []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc != nil {
			withDoc = append(withDoc, name)
			if text := f.Doc.Text(); !strings.HasPrefix(text, "Package cognitoimporttest ") {
				t.Errorf("%s: the package comment begins %q, want \"Package cognitoimporttest ...\"", name, text[:min(len(text), 40)])
			}
		}
	}
	if len(withDoc) != 1 || withDoc[0] != "doc.go" {
		t.Errorf("package comments in %v, want one, in doc.go", withDoc)
	}
}
