package cognitoimport_test

import (
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"log"
	"log/slog"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"text/template"

	"github.com/cognitoimport/cognitoimport"
)

func TestSecretURLString(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                                    "",
		"https://bucket.s3.amazonaws.com/key": "https://bucket.s3.amazonaws.com/key",
		"https://h/p?X-Amz-Signature=abc":     "https://h/p?REDACTED",
		"https://h/p#frag":                    "https://h/p#REDACTED",
		"https://h/p?a=1#frag":                "https://h/p?REDACTED",
		"?secret":                             "?REDACTED",
	} {
		if got := cognitoimport.NewSecretURL(in).String(); got != want {
			t.Errorf("SecretURL(%q).String() = %q, want %q", in, got, want)
		}
	}
}

// output is what one way of printing, logging or encoding a job wrote.
type output struct {
	name string
	out  string
	// shown: the job's ID and the redacted URL must show in out. False for
	// the paths that print no methods' results (a bad verb, an unexported
	// field) and for binary encodings.
	shown bool
}

// TestJobRedaction prints, logs and encodes a job every way a program might,
// and checks that the pre-signed URL's credentials show up in none of them.
func TestJobRedaction(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	job := *createJob(t, newClient(srv), "redaction")
	full := job.PreSignedURL.Reveal()
	u := job.PreSignedURL
	secrets := secretsOf(t, full)

	type holder struct {
		Name string
		Job  cognitoimport.Job
	}
	type hidden struct {
		name string
		job  cognitoimport.Job
		url  cognitoimport.SecretURL
	}
	logf := func(f func(*log.Logger)) string {
		var b bytes.Buffer
		f(log.New(&b, "", 0))
		return b.String()
	}
	slogf := func(h func(*bytes.Buffer) slog.Handler, args ...any) string {
		var b bytes.Buffer
		slog.New(h(&b)).Info("job created", args...)
		return b.String()
	}
	text := func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) }
	jsonh := func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) }
	tmpl := func(src string, data any) string {
		var b bytes.Buffer
		err := template.Must(template.New("t").Parse(src)).Execute(&b, data)
		return fmt.Sprint(b.String(), " ", err)
	}
	html := func(src string, data any) string {
		var b bytes.Buffer
		err := htmltemplate.Must(htmltemplate.New("t").Parse(src)).Execute(&b, data)
		return fmt.Sprint(b.String(), " ", err)
	}
	gobOf := func(v any) string {
		var b bytes.Buffer
		err := gob.NewEncoder(&b).Encode(v)
		return fmt.Sprint(b.String(), " ", err)
	}
	xmlOf := func(v any) string {
		b, err := xml.Marshal(v)
		return fmt.Sprint(string(b), " ", err)
	}

	// jobError is an error of a caller's that holds a job.
	wrapped := fmt.Errorf("importing: %w", jobError{job})

	outputs := []output{
		{"%v", format("%v", job), true},
		{"%+v", format("%+v", job), true},
		{"%#v", format("%#v", job), true},
		{"%s", format("%s", job), true},
		{"%q", format("%q", job), true},
		{"%d", format("%d", job), true},
		{"%x", format("%x", job), true},
		{"%X", format("%X", job), true},
		{"%-300v", format("%-300v", job), true},
		{"%T", format("%T", job), false},
		// fmt prints a bad verb's operand without calling its methods.
		{"%p", format("%p", job), false},
		{"%t", format("%t", job), true},
		{"%c", format("%c", job), true},
		{"%U", format("%U", job), true},
		{"%e", format("%e", job), true},
		{"%z", format("%z", job), true},
		{"%!", format("%!", job), false},
		{"missing verb", format("x", job), true},
		{"reflect.Value %v", format("%v", reflect.ValueOf(job)), true},
		{"pointer %p", format("%p", &job), false},
		{"String", job.String(), true},
		{"Sprint", fmt.Sprint(job), true},
		{"Sprintln", fmt.Sprintln("job:", job), true},
		{"pointer %v", format("%v", &job), true},
		{"pointer %+v", format("%+v", &job), true},
		{"pointer %#v", format("%#v", &job), false},
		{"pointer %s", format("%s", &job), true},
		{"[]Job %v", format("%v", []cognitoimport.Job{job, job}), true},
		{"[]Job %+v", format("%+v", []cognitoimport.Job{job}), true},
		{"[]Job %#v", format("%#v", []cognitoimport.Job{job}), true},
		{"[]Job %s", format("%s", []cognitoimport.Job{job}), true},
		{"[]Job %p", format("%p", []cognitoimport.Job{job}), false},
		{"[1]Job %p", format("%p", [1]cognitoimport.Job{job}), false},
		{"[]*Job %+v", format("%+v", []*cognitoimport.Job{&job}), false},
		{"struct %v", format("%v", holder{"h", job}), true},
		{"struct %+v", format("%+v", holder{"h", job}), true},
		{"struct %#v", format("%#v", holder{"h", job}), true},
		{"struct %p", format("%p", holder{"h", job}), false},
		// fmt cannot call the methods of a value in an unexported field.
		{"unexported fields %v", format("%v", hidden{"h", job, u}), false},
		{"unexported fields %+v", format("%+v", hidden{"h", job, u}), false},
		{"unexported fields %#v", format("%#v", hidden{"h", job, u}), false},
		{"map %v", format("%v", map[string]cognitoimport.Job{"j": job}), true},
		{"map %#v", format("%#v", map[string]cognitoimport.Job{"j": job}), true},
		{"map key %v", format("%v", map[cognitoimport.SecretURL]string{u: job.JobID}), true},
		{"map key %p", format("%p", map[cognitoimport.SecretURL]string{u: job.JobID}), false},
		{"map Job key %v", format("%v", map[cognitoimport.Job]int{job: 1}), true},
		{"[]any %v", format("%v", []any{job}), true},
		{"error %v", fmt.Errorf("creating %v: %w", job, errors.New("x")).Error(), true},
		{"error that holds a job", wrapped.Error(), true},
		{"error that holds a job %+v", format("%+v", wrapped), true},
		{"errors.Join", errors.Join(jobError{job}, wrapped).Error(), true},
		{"log.Print", logf(func(l *log.Logger) { l.Print(job) }), true},
		{"log.Printf %+v", logf(func(l *log.Logger) { l.Printf("%+v", job) }), true},
		{"log.Println", logf(func(l *log.Logger) { l.Println(job) }), true},
		{"slog text", slogf(text, slog.Any("job", job)), true},
		{"slog text pointer", slogf(text, slog.Any("job", &job)), true},
		{"slog text key-value", slogf(text, "job", job), true},
		{"slog text []Job", slogf(text, slog.Any("jobs", []cognitoimport.Job{job})), true},
		{"slog text struct", slogf(text, slog.Any("holder", holder{"h", job})), true},
		{"slog text unexported", slogf(text, slog.Any("hidden", hidden{"h", job, u})), false},
		{"slog text group", slogf(text, slog.Group("g", slog.Any("job", job))), true},
		{"slog text map key", slogf(text, slog.Any("m", map[cognitoimport.SecretURL]string{u: job.JobID})), true},
		{"slog text error", slogf(text, slog.Any("err", wrapped)), true},
		{"slog JSON", slogf(jsonh, slog.Any("job", job)), true},
		{"slog JSON pointer", slogf(jsonh, slog.Any("job", &job)), true},
		{"slog JSON key-value", slogf(jsonh, "job", job), true},
		{"slog JSON group", slogf(jsonh, slog.Group("g", slog.Any("job", job))), true},
		{"slog JSON []Job", slogf(jsonh, slog.Any("jobs", []cognitoimport.Job{job})), true},
		{"slog JSON struct", slogf(jsonh, slog.Any("holder", holder{"h", job})), true},
		{"slog JSON map", slogf(jsonh, slog.Any("m", map[string]*cognitoimport.Job{"j": &job})), true},
		{"slog JSON map key", slogf(jsonh, slog.Any("m", map[cognitoimport.SecretURL]string{u: job.JobID})), true},
		{"slog JSON error", slogf(jsonh, slog.Any("err", wrapped)), true},
		{"slog text with source", slogf(func(b *bytes.Buffer) slog.Handler {
			return slog.NewTextHandler(b, &slog.HandlerOptions{AddSource: true})
		}, slog.Any("job", job)), true},
		{"URL %v", format("%v", u), false},
		{"URL %d", format("%d", u), false},
		{"URL %#v", format("%#v", u), false},
		{"URL %p", format("%p", u), false},
		{"URL %x", format("%x", u), false},
		{"URL %!", format("%!", u), false},
		{"URL slog JSON", slogf(jsonh, "url", u), false},
		{"URL slog text", slogf(text, "url", u), false},
		{"json.Marshal", marshal(t, job), true},
		{"json.Marshal pointer", marshal(t, &job), true},
		{"json.Marshal struct", marshal(t, holder{"h", job}), true},
		{"json.Marshal []Job", marshal(t, []cognitoimport.Job{job}), true},
		{"json.Marshal map key", marshal(t, map[cognitoimport.SecretURL]string{u: job.JobID}), true},
		{"json.MarshalIndent", func() string { b, _ := json.MarshalIndent(job, "", " "); return string(b) }(), true},
		{"xml.Marshal", xmlOf(job), true},
		{"xml.Marshal attribute", xmlOf(struct {
			XMLName xml.Name                `xml:"job"`
			ID      string                  `xml:"id,attr"`
			URL     cognitoimport.SecretURL `xml:"url,attr"`
		}{ID: job.JobID, URL: u}), true},
		{"gob", gobOf(job), true},
		{"gob []Job", gobOf([]cognitoimport.Job{job}), true},
		{"gob map key", gobOf(map[cognitoimport.SecretURL]string{u: job.JobID}), true},
		{"text/template {{.}}", tmpl("{{.}}", job), true},
		{"text/template fields", tmpl("{{.JobID}} {{.PreSignedURL}}", job), true},
		{"text/template printf", tmpl(`{{.JobID}} {{printf "%v %s %q %x" .PreSignedURL .PreSignedURL .PreSignedURL .PreSignedURL}}`, job), true},
		{"text/template print", tmpl(`{{.JobID}} {{print .PreSignedURL}} {{println .}}`, job), true},
		{"text/template slice", tmpl(`{{.JobID}} {{slice .PreSignedURL 1}}`, job), false},
		{"text/template index", tmpl(`{{.JobID}} {{index .PreSignedURL 40}}`, job), false},
		{"text/template urlquery", tmpl(`{{.JobID}} {{urlquery .PreSignedURL}} {{js .PreSignedURL}} {{html .PreSignedURL}}`, job), false},
		{"html/template", html(`<a href="{{.PreSignedURL}}">{{.JobID}}</a> {{.}}`, job), true},
		{"html/template script", html(`<script>var j = {{.}};</script>`, job), true},
	}
	for _, o := range outputs {
		decoded := o.out
		if strings.Contains(o.name, "%x") || strings.Contains(o.name, "%X") {
			decoded = decodeHexRuns(o.out)
		}
		decoded += "\n" + unescapeAll(decoded)
		for _, s := range secrets {
			if strings.Contains(decoded, s) {
				t.Errorf("%s shows %q:\n%s", o.name, s, o.out)
			}
		}
		// The job was printed: its ID and the redacted URL show.
		if o.shown && (!strings.Contains(decoded, job.JobID) || !strings.Contains(decoded, "REDACTED")) {
			t.Errorf("%s does not show the job ID and the redacted URL:\n%s", o.name, o.out)
		}
	}
	if got := job.PreSignedURL.Reveal(); got != full || !strings.Contains(got, "X-Amz-Signature=") {
		t.Errorf("PreSignedURL = %q after printing, want the full URL %q", got, full)
	}
	if stored := srv.Jobs(testPool)[0].PreSignedURL; job.PreSignedURL.Reveal() != stored {
		t.Errorf("PreSignedURL = %q, want the server's %q", job.PreSignedURL.Reveal(), stored)
	}
}

// format is fmt.Sprintf(verb, v) through a function that is not a printf
// wrapper, so that vet and staticcheck do not flag the verbs a program may
// use on a Job by mistake: they are what is tested.
func format(verb string, v any) string { return fmt.Sprintf(verb, v) }

// jobError is a caller's error type that holds a job, printed with %v.
type jobError struct{ job cognitoimport.Job }

func (e jobError) Error() string { return fmt.Sprintf("job %v failed", e.job) }

// secretsOf returns the parts of the pre-signed URL full that must never
// show: its query string, and each credential in it raw and escaped.
func secretsOf(t *testing.T, full string) []string {
	t.Helper()
	u, err := url.Parse(full)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	secrets := []string{"X-Amz-Signature", "X-Amz-Security-Token", "X-Amz-Credential", u.RawQuery}
	for _, k := range []string{"X-Amz-Signature", "X-Amz-Security-Token"} {
		v := q.Get(k)
		if v == "" {
			t.Fatalf("the pre-signed URL %q has no %s: the test cannot check its redaction", full, k)
		}
		secrets = append(secrets, v, url.QueryEscape(v))
	}
	return secrets
}

// unescapeAll undoes the escapings the encoders under test apply (JSON's
// \u0026, HTML's &amp; and &#43;, URL query escaping), so that an escaped
// secret is found too.
func unescapeAll(s string) string {
	r := strings.NewReplacer(`\u0026`, "&", `\u003c`, "<", `\u003e`, ">", `\u002b`, "+", `\/`, "/",
		"&amp;", "&", "&#43;", "+", "&#61;", "=", "&#39;", "'", "&#34;", `"`, `\x26`, "&", `\x3d`, "=", `\u003d`, "=")
	out := r.Replace(s)
	if q, err := url.QueryUnescape(out); err == nil {
		out += "\n" + q
	}
	return out
}

func marshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// decodeHexRuns replaces every run of hex digits in s by the bytes it
// encodes, so that %x output can be searched as text.
func decodeHexRuns(s string) string {
	var b strings.Builder
	isHex := func(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && isHex(s[j]) {
			j++
		}
		if j == i {
			b.WriteByte(s[i])
			i++
			continue
		}
		run := s[i:j]
		if len(run)%2 == 0 {
			if d, err := hex.DecodeString(run); err == nil {
				b.Write(d)
				i = j
				continue
			}
		}
		b.WriteString(run)
		i = j
	}
	return b.String()
}

// TestJobEmbedded checks that a struct embedding a Job keeps its own fields
// when encoded: the redaction lives on the URL's type, so Job promotes no
// MarshalJSON that would hide them.
func TestJobEmbedded(t *testing.T) {
	t.Parallel()
	type tracked struct {
		cognitoimport.Job
		Owner string
	}
	v := tracked{Job: cognitoimport.Job{JobID: "import-abcdefghij", PreSignedURL: cognitoimport.NewSecretURL("https://h/p?X-Amz-Signature=s3cr3t")}, Owner: "ops"}
	var b bytes.Buffer
	slog.New(slog.NewJSONHandler(&b, nil)).Info("tracked", "job", v)
	for name, out := range map[string]string{"json.Marshal": marshal(t, v), "slog JSON": b.String()} {
		if !strings.Contains(out, "ops") || !strings.Contains(out, "import-abcdefghij") || strings.Contains(out, "s3cr3t") {
			t.Errorf("%s: %s", name, out)
		}
	}
}

// TestSecretURLRoundTrip decodes what each encoder wrote: a redacted URL
// must not come back as a usable one, and the decoder says so.
func TestSecretURLRoundTrip(t *testing.T) {
	t.Parallel()
	const full = "https://h/p?X-Amz-Signature=s3cr3t"
	job := cognitoimport.Job{JobID: "import-abcdefghij", PreSignedURL: cognitoimport.NewSecretURL(full)}

	encodings := []struct {
		name   string
		encode func(v any) ([]byte, error)
		decode func(b []byte, v any) error
	}{
		{"json", json.Marshal, json.Unmarshal},
		{"xml", xml.Marshal, xml.Unmarshal},
		{"gob", func(v any) ([]byte, error) {
			var b bytes.Buffer
			err := gob.NewEncoder(&b).Encode(v)
			return b.Bytes(), err
		}, func(b []byte, v any) error { return gob.NewDecoder(bytes.NewReader(b)).Decode(v) }},
	}
	for _, enc := range encodings {
		b, err := enc.encode(job)
		if err != nil {
			t.Fatalf("%s: %v", enc.name, err)
		}
		var back cognitoimport.Job
		err = enc.decode(b, &back)
		if !errors.Is(err, cognitoimport.ErrRedactedURL) {
			t.Errorf("%s: decoding a job with a redacted URL: error %v, want ErrRedactedURL; PreSignedURL %q",
				enc.name, err, back.PreSignedURL.Reveal())
		}
		if back.PreSignedURL.Reveal() != "" {
			t.Errorf("%s: the failed decoding set PreSignedURL to %q", enc.name, back.PreSignedURL.Reveal())
		}

		// What has nothing to redact survives the trip.
		for _, raw := range []string{"", "https://bucket.s3.amazonaws.com/key"} {
			plain := cognitoimport.Job{JobID: "import-abcdefghij", PreSignedURL: cognitoimport.NewSecretURL(raw)}
			b, err := enc.encode(plain)
			if err != nil {
				t.Fatalf("%s: %v", enc.name, err)
			}
			var back cognitoimport.Job
			if err := enc.decode(b, &back); err != nil || back.PreSignedURL != plain.PreSignedURL {
				t.Errorf("%s: %q came back as %q, %v", enc.name, raw, back.PreSignedURL.Reveal(), err)
			}
		}
	}

	// A full URL, as a caller's own file may hold it, decodes to a usable one.
	var fromConfig struct{ URL cognitoimport.SecretURL }
	if err := json.Unmarshal([]byte(`{"URL":"`+full+`"}`), &fromConfig); err != nil || fromConfig.URL.Reveal() != full {
		t.Errorf("json.Unmarshal of a full URL: %q, %v; want %q", fromConfig.URL.Reveal(), err, full)
	}
	// A map keyed by SecretURL fails loudly too.
	var m map[cognitoimport.SecretURL]int
	if err := json.Unmarshal([]byte(`{"https://h/p?REDACTED":1}`), &m); !errors.Is(err, cognitoimport.ErrRedactedURL) {
		t.Errorf("json.Unmarshal of a redacted map key: %v, want ErrRedactedURL", err)
	}
}

// TestSecretURLValue checks the zero value, the comparison and Reveal.
func TestSecretURLValue(t *testing.T) {
	t.Parallel()
	var zero cognitoimport.SecretURL
	if zero.Reveal() != "" || zero.String() != "" || fmt.Sprint(zero) != "" {
		t.Errorf("the zero SecretURL: Reveal %q, String %q, Sprint %q; want all empty", zero.Reveal(), zero.String(), fmt.Sprint(zero))
	}
	if cognitoimport.NewSecretURL("") != zero {
		t.Errorf("NewSecretURL(\"\") is not the zero SecretURL")
	}
	const a = "https://h/p?X-Amz-Signature=aaa"
	const b = "https://h/p?X-Amz-Signature=bbb"
	// Built apart, from strings that share no memory.
	u1, u2 := cognitoimport.NewSecretURL(a), cognitoimport.NewSecretURL(strings.Clone(a))
	if u1 != u2 || !u1.Equal(u2) {
		t.Errorf("two SecretURLs of the same URL differ")
	}
	// Their redactions are equal, yet the URLs are not.
	v := cognitoimport.NewSecretURL(b)
	if u1 == v || u1.Equal(v) || u1.String() != v.String() {
		t.Errorf("SecretURLs of %q and %q: ==, Equal %v, %v; String %q, %q", a, b, u1 == v, u1.Equal(v), u1, v)
	}
	if u1.Reveal() != a {
		t.Errorf("Reveal() = %q, want %q", u1.Reveal(), a)
	}
	j1 := cognitoimport.Job{JobID: "j", PreSignedURL: u1}
	j2 := cognitoimport.Job{JobID: "j", PreSignedURL: u2}
	if j1 != j2 {
		t.Errorf("two Jobs with the same fields differ")
	}
}
