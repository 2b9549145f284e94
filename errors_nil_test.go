package cognitoimport_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	iofs "io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cognitoimport/cognitoimport"
)

// TestErrorTypesNilSafe: every method of every exported error type (a type
// with an Error method) runs on a nil pointer, with zero arguments, without
// panicking, and Error says something. The list is checked against the
// package's source, so a new error type cannot be left out.
func TestErrorTypesNilSafe(t *testing.T) {
	t.Parallel()
	types := map[string]reflect.Type{}
	for _, err := range []error{
		(*cognitoimport.ServiceError)(nil),
		(*cognitoimport.InternalError)(nil),
		(*cognitoimport.InvalidParameterError)(nil),
		(*cognitoimport.LimitExceededError)(nil),
		(*cognitoimport.NotAuthorizedError)(nil),
		(*cognitoimport.OperationNotEnabledError)(nil),
		(*cognitoimport.PreconditionNotMetError)(nil),
		(*cognitoimport.ResourceNotFoundError)(nil),
		(*cognitoimport.TooManyRequestsError)(nil),
		(*cognitoimport.ValidationError)(nil),
		(*cognitoimport.UploadError)(nil),
		(*cognitoimport.JobError)(nil),
		(*cognitoimport.ImportError)(nil),
		(*cognitoimport.FileError)(nil),
		(*cognitoimport.UserError)(nil),
		(*cognitoimport.JournalError)(nil),
		(*cognitoimport.JournalLockedError)(nil),
		(*cognitoimport.PartError)(nil),
	} {
		types[reflect.TypeOf(err).Elem().Name()] = reflect.TypeOf(err)
	}

	// Every exported type of the package's source with an Error method.
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi iofs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	var inSource []string
	for _, f := range pkgs["cognitoimport"].Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || fd.Name.Name != "Error" {
				continue
			}
			recv := fd.Recv.List[0].Type
			if star, ok := recv.(*ast.StarExpr); ok {
				recv = star.X
			}
			if id, ok := recv.(*ast.Ident); ok && id.IsExported() {
				inSource = append(inSource, id.Name)
			}
		}
	}
	slices.Sort(inSource)
	for _, name := range inSource {
		if types[name] == nil {
			t.Errorf("the error type %s is not in the test's list", name)
		}
	}

	for name, typ := range types {
		nilValue := reflect.Zero(typ)
		for i := range typ.NumMethod() {
			m := typ.Method(i)
			args := []reflect.Value{nilValue}
			for j := 1; j < m.Type.NumIn(); j++ {
				args = append(args, reflect.Zero(m.Type.In(j)))
			}
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("(*%s)(nil).%s: panic: %v", name, m.Name, r)
					}
				}()
				out := m.Func.Call(args)
				if m.Name == "Error" && out[0].String() == "" {
					t.Errorf("(*%s)(nil).Error() is empty", name)
				}
			}()
		}
	}
}
