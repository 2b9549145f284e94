package cognitoimport

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitoimport/cognitoimport/internal/usersfile"
)

// ResultsFile is a job's users file, indexed to be joined with the job's
// results (Join) and to write the file of its failed rows (WriteRetry). It
// holds an index of the file's line offsets (4 bytes a line) and a few bits
// a line, never the file's contents: a row's bytes are read again from the
// file when a result names it.
type ResultsFile struct {
	r       io.ReaderAt
	size    int64
	starts  []uint32 // starts[n-1]: the offset of line n; starts[lines]: size
	rows    bitset   // the lines that are user rows: not the header, not empty
	nrows   int
	userCol int // the header's column of cognito:username

	mu      sync.Mutex
	failed  bitset // the lines the last complete Join reported failed
	skipped bitset // and skipped
	joined  bool
}

// maxIndexedFile is the largest file a ResultsFile indexes: its offsets are
// 32-bit. A users file has at most usersfile.MaxFileBytes (100 MB).
const maxIndexedFile = math.MaxUint32

// NewResultsFile reads the users file r, of size bytes, once, and indexes
// its lines. r must keep its contents while the ResultsFile is used: Join
// and WriteRetry read rows from it again. *os.File is an io.ReaderAt; to
// index an io.ReadSeeker, such as ImportInput.File, ImportResults does it.
func NewResultsFile(r io.ReaderAt, size int64) (*ResultsFile, error) {
	if size < 0 || size > maxIndexedFile {
		return nil, &FileMismatchError{Line: 1, Reason: fmt.Sprintf("%d bytes is not the size of a file a ResultsFile indexes (0 to %d)", size, int64(maxIndexedFile))}
	}
	f := &ResultsFile{r: r, size: size, starts: []uint32{0}}
	br := bufio.NewReaderSize(io.NewSectionReader(r, 0, size), 64<<10)
	var header []byte
	var off int64
	var prev byte // the byte before the current chunk
	for {
		chunk, err := br.ReadSlice('\n')
		if len(chunk) > 0 {
			lineStart := int64(f.starts[len(f.starts)-1])
			if len(f.starts) == 1 && len(header) < usersfile.MaxRowChars*4+2 {
				header = append(header, chunk...)
			}
			off += int64(len(chunk))
			if chunk[len(chunk)-1] == '\n' {
				n := off - lineStart // with the '\n'
				last := prev
				if len(chunk) >= 2 {
					last = chunk[len(chunk)-2]
				}
				f.addLine(off, n > 2 || n == 2 && last != '\r')
			}
			prev = chunk[len(chunk)-1]
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if lineStart := int64(f.starts[len(f.starts)-1]); off > lineStart {
		// A last line without a line break: the file's end ends it, so a
		// lone carriage return is an empty line, as the checker reads it.
		f.addLine(off, off-lineStart > 1 || prev != '\r')
	}
	header = bytes.TrimPrefix(trimLineBreak(header), []byte("\ufeff"))
	f.userCol = slices.IndexFunc(usersfile.Split(bytes.Clone(header), nil), func(c []byte) bool { return string(c) == usersfile.ColUsername })
	if f.userCol < 0 {
		return nil, &FileMismatchError{Line: 1, Reason: "its header (line 1) has no " + usersfile.ColUsername + " column"}
	}
	return f, nil
}

// addLine records a line that ends at end; row: it is not empty.
func (f *ResultsFile) addLine(end int64, row bool) {
	f.starts = append(f.starts, uint32(end))
	n := len(f.starts) - 1 // the line's number
	if n > 1 && row {
		f.rows.set(n)
		f.nrows++
	}
}

// Rows returns the number of user rows of the file: its lines after the
// header that are not empty.
func (f *ResultsFile) Rows() int { return f.nrows }

// lines returns the number of lines of the file.
func (f *ResultsFile) lines() int { return len(f.starts) - 1 }

// check refuses the file when it cannot be job's.
func (f *ResultsFile) check(job *Job) error {
	if job == nil {
		return nil
	}
	done := job.ImportedUsers + job.SkippedUsers + job.FailedUsers
	mismatch := func(reason string) error {
		return &FileMismatchError{JobID: job.JobID, Rows: f.nrows, JobRows: done, Line: 1, Reason: reason}
	}
	switch {
	case (job.Status == StatusSucceeded || job.Status == StatusFailed) && done > 0 && done != int64(f.nrows):
		return mismatch(fmt.Sprintf("the file has %d user rows, the job processed %d", f.nrows, done))
	case job.Status == StatusStopped && done > int64(f.nrows):
		return mismatch(fmt.Sprintf("the file has %d user rows, the job processed %d before it was stopped", f.nrows, done))
	}
	return nil
}

// Join returns results joined with the file, in the order they come: each
// with the Username and the Raw bytes of the row its Line names. A row the
// results name twice is yielded once. Once results end, each user row they
// did not name follows, in file order, as OutcomeNotLogged: every user row
// of the file is yielded exactly once.
//
// When job is not nil, a file that cannot be job's is refused before any
// result is read, with a *FileMismatchError (see its documentation); so is,
// when it comes, a result that names a line that is not a user row of the
// file, and nothing more is yielded. An error of results is yielded as it
// is, and ends the sequence.
//
// For a job still running, the rows it has not reached yet come as
// OutcomeNotLogged too: read its results again once it ended.
//
// Ranging the whole sequence records the failed and skipped rows for
// WriteRetry and Lines. Join reads the rows from the file in one pass when
// the results come in file order (as the service writes them), and seeks
// otherwise.
func (f *ResultsFile) Join(job *Job, results iter.Seq2[RowResult, error]) iter.Seq2[RowResult, error] {
	return func(yield func(RowResult, error) bool) {
		if err := f.check(job); err != nil {
			yield(RowResult{}, err)
			return
		}
		jobID := ""
		if job != nil {
			jobID = job.JobID
		}
		var seen, failed, skipped bitset
		lr := f.newLineReader()
		for r, err := range results {
			if err != nil {
				yield(RowResult{}, err)
				return
			}
			if r.Line < 1 || r.Line > f.lines() || !f.rows.has(r.Line) {
				what := fmt.Sprintf("past the file's end (%d lines)", f.lines())
				if r.Line <= f.lines() {
					what = "which is not a user row of the file"
				}
				yield(RowResult{}, &FileMismatchError{JobID: cmp.Or(jobID, "of these results"), Rows: f.nrows, Line: r.Line,
					Reason: fmt.Sprintf("the job's log names line %d, %s", r.Line, what)})
				return
			}
			if seen.has(r.Line) {
				continue
			}
			seen.set(r.Line)
			switch r.Outcome {
			case OutcomeFailed:
				failed.set(r.Line)
			case OutcomeSkipped:
				skipped.set(r.Line)
			}
			if err := f.fill(lr, &r); err != nil {
				yield(RowResult{}, err)
				return
			}
			if !yield(r, nil) {
				return
			}
		}
		for n := 2; n <= f.lines(); n++ {
			if !f.rows.has(n) || seen.has(n) {
				continue
			}
			r := RowResult{Line: n, Outcome: OutcomeNotLogged}
			if err := f.fill(lr, &r); err != nil {
				yield(RowResult{}, err)
				return
			}
			if !yield(r, nil) {
				return
			}
		}
		f.mu.Lock()
		f.failed, f.skipped, f.joined = failed, skipped, true
		f.mu.Unlock()
	}
}

// fill sets r's Raw and Username from the file.
func (f *ResultsFile) fill(lr *lineReader, r *RowResult) error {
	line, err := lr.line(r.Line)
	if err != nil {
		return err
	}
	r.Raw = trimLineBreak(line)
	r.Username = fieldAt(r.Raw, f.userCol)
	return nil
}

// fieldAt returns value col of line as the service reads it (see
// usersfile.Split), or "" when the line has fewer values; it splits only
// as far as it must, and copies only the value.
func fieldAt(line []byte, col int) string {
	start, i := 0, 0
	for k := 0; ; {
		j := bytes.IndexByte(line[i:], ',')
		if j >= 0 && j+i > 0 && line[i+j-1] == '\\' { // an escaped comma
			i += j + 1
			continue
		}
		end := len(line)
		if j >= 0 {
			end = i + j
		}
		if k == col {
			v := line[start:end]
			if bytes.IndexByte(v, ',') >= 0 { // escaped commas: unescape
				return string(usersfile.Split(bytes.Clone(v), nil)[0])
			}
			return string(usersfile.Trim(v))
		}
		if j < 0 {
			return ""
		}
		k++
		i, start = end+1, end+1
	}
}

// Lines returns the line numbers of the rows that the last complete Join
// reported with outcome (OutcomeFailed or OutcomeSkipped), in file order.
func (f *ResultsFile) Lines(outcome Outcome) ([]int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.joined {
		return nil, ErrNotJoined
	}
	b := f.failed
	if outcome == OutcomeSkipped {
		b = f.skipped
	} else if outcome != OutcomeFailed {
		return nil, fmt.Errorf("cognitoimport: Lines(%q): only failed and skipped rows are recorded", outcome)
	}
	var lines []int
	for n := range b.all() {
		lines = append(lines, n)
	}
	return lines, nil
}

// WriteRetry writes to w the file of the rows to fix and import again: the
// header line, then exactly the rows that the last complete Join reported
// failed, in file order, each byte for byte as in the file (line break
// included). Skipped rows (the user exists already) are not in it: Lines
// lists them. It returns the number of rows written.
func (f *ResultsFile) WriteRetry(w io.Writer) (int, error) {
	f.mu.Lock()
	failed, joined := f.failed, f.joined
	f.mu.Unlock()
	if !joined {
		return 0, ErrNotJoined
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	lr := f.newLineReader()
	header, err := lr.line(1)
	if err != nil {
		return 0, err
	}
	if !bytes.HasSuffix(header, []byte("\n")) {
		header = append(header, '\n')
	}
	bw.Write(header)
	n := 0
	for line := range failed.all() {
		b, err := lr.line(line)
		if err != nil {
			return n, err
		}
		if _, err := bw.Write(b); err != nil {
			return n, err
		}
		n++
	}
	return n, bw.Flush()
}

// lineReader reads lines of a ResultsFile, in one pass while they are asked
// for in order.
type lineReader struct {
	f    *ResultsFile
	br   *bufio.Reader
	next int // the line br is at; 0: none
}

func (f *ResultsFile) newLineReader() *lineReader { return &lineReader{f: f} }

// line returns line n with its line break, in a new slice.
func (lr *lineReader) line(n int) ([]byte, error) {
	f := lr.f
	start, end := int64(f.starts[n-1]), int64(f.starts[n])
	if lr.next != n {
		sr := io.NewSectionReader(f.r, start, f.size-start)
		if lr.br == nil {
			lr.br = bufio.NewReaderSize(sr, 64<<10)
		} else {
			lr.br.Reset(sr)
		}
	}
	b := make([]byte, end-start)
	if _, err := io.ReadFull(lr.br, b); err != nil {
		lr.next = 0
		return nil, fmt.Errorf("cognitoimport: reading line %d of the users file: %w", n, err)
	}
	lr.next = n + 1
	return b, nil
}

func trimLineBreak(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// bitset is a set of small non-negative integers.
type bitset []uint64

func (b *bitset) set(i int) {
	for i/64 >= len(*b) {
		*b = append(*b, 0)
	}
	(*b)[i/64] |= 1 << (i % 64)
}

func (b bitset) has(i int) bool { return i/64 < len(b) && b[i/64]&(1<<(i%64)) != 0 }

// all yields the set's members in increasing order.
func (b bitset) all() iter.Seq[int] {
	return func(yield func(int) bool) {
		for w, word := range b {
			for word != 0 {
				bit := 0
				for word&(1<<bit) == 0 {
					bit++
				}
				if !yield(w*64 + bit) {
					return
				}
				word &^= 1 << bit
			}
		}
	}
}

// readSeekerAt reads an io.ReadSeeker at offsets, from base on, by seeking.
type readSeekerAt struct {
	mu   sync.Mutex
	rs   io.ReadSeeker
	base int64
}

func (r *readSeekerAt) ReadAt(p []byte, off int64) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.rs.Seek(r.base+off, io.SeekStart); err != nil {
		return 0, err
	}
	n, err := io.ReadFull(r.rs, p)
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	return n, err
}

// SummaryLines is how many line numbers a ReasonCount lists.
const SummaryLines = 5

// ReasonCount is one line of a ResultsSummary: the rows with one outcome and
// reason.
type ReasonCount struct {
	Outcome Outcome
	Reason  string // "" for OutcomeNotLogged
	Count   int
	Lines   []int // the first SummaryLines rows' line numbers, in the order they came
}

// ResultsSummary counts results by outcome, and the rows that were not
// imported by reason: the view a person wants first. Its zero value is ready
// to use; Add each result.
type ResultsSummary struct {
	Succeeded, Skipped, Failed, NotLogged int

	reasons []ReasonCount
	index   map[reasonKey]int
}

type reasonKey struct {
	outcome Outcome
	reason  string
}

// Add counts r.
func (s *ResultsSummary) Add(r RowResult) {
	switch r.Outcome {
	case OutcomeSucceeded:
		s.Succeeded++
		return
	case OutcomeSkipped:
		s.Skipped++
	case OutcomeFailed:
		s.Failed++
	case OutcomeNotLogged:
		s.NotLogged++
	}
	if s.index == nil {
		s.index = make(map[reasonKey]int)
	}
	k := reasonKey{r.Outcome, r.Reason}
	i, ok := s.index[k]
	if !ok {
		i = len(s.reasons)
		s.index[k] = i
		s.reasons = append(s.reasons, ReasonCount{Outcome: r.Outcome, Reason: r.Reason})
	}
	rc := &s.reasons[i]
	rc.Count++
	if len(rc.Lines) < SummaryLines {
		rc.Lines = append(rc.Lines, r.Line)
	}
}

// Reasons returns the counts of the rows that were not imported, by outcome
// and reason, the most frequent first (ties: the one seen first, first).
func (s *ResultsSummary) Reasons() []ReasonCount {
	out := slices.Clone(s.reasons)
	for i := range out {
		out[i].Lines = slices.Clone(out[i].Lines)
	}
	slices.SortStableFunc(out, func(a, b ReasonCount) int { return cmp.Compare(b.Count, a.Count) })
	return out
}

// JobResults are the results of a job joined with its users file, as
// ImportResults returns them.
type JobResults struct {
	// File is the users file, indexed: after Rows was ranged to its end,
	// its WriteRetry writes the rows to fix.
	File *ResultsFile
	// Rows yields every user row of the file once, with its outcome (see
	// ResultsFile.Join): ranging it reads the job's log.
	Rows iter.Seq2[RowResult, error]
}

// ImportResults is Import, and, when the job it ran ended with failed or
// skipped rows, the rows' results joined with in.File, which it reads again
// from the offset Import started at (in.File need not be an io.ReaderAt).
// The results are read when ranged, waiting for the log's trailing events
// as ResultsInput.MaxWait says, on the Client's clock. The *JobResults is
// nil when Import returned no ended job, or the job had no failed or skipped
// row; the job and error are Import's.
//
// optFns apply to Import's calls, as Import says, and to the calls of the
// Cognito service that reading the results makes.
func (c *Client) ImportResults(ctx context.Context, in ImportInput, optFns ...func(*cognitoidentityprovider.Options)) (*Job, *JobResults, error) {
	var start int64
	if in.File != nil {
		var err error
		if start, err = in.File.Seek(0, io.SeekCurrent); err != nil {
			job, err := c.Import(ctx, in, optFns...) // Import reports it
			return job, nil, err
		}
	}
	job, err := c.Import(ctx, in, optFns...)
	ended := job
	if ended == nil || !ended.Status.Terminal() || ended.FailedUsers+ended.SkippedUsers == 0 {
		return job, nil, err
	}
	size, serr := in.File.Seek(0, io.SeekEnd)
	if serr != nil {
		return job, nil, errors.Join(err, fmt.Errorf("cognitoimport: ImportResults: %w", serr))
	}
	f, ferr := NewResultsFile(&readSeekerAt{rs: in.File, base: start}, size-start)
	if ferr != nil {
		return job, nil, errors.Join(err, ferr)
	}
	rows := f.Join(ended, c.Results(ctx, ResultsInput{UserPoolID: ended.UserPoolID, JobID: ended.JobID, Job: ended}, optFns...))
	return job, &JobResults{File: f, Rows: rows}, err
}
