package cognitoimport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// journalVersion is the version of the journal's format this package
// writes and reads.
const journalVersion = 1

// journal is what ImportAll's journal file holds: the import, the file's
// identity, and its parts.
type journal struct {
	Version    int    `json:"version"`
	UserPoolID string `json:"userPoolId"`
	JobName    string `json:"jobName"`
	File       struct {
		Size        int64     `json:"size"`
		ModTime     time.Time `json:"modTime"`
		HeaderBytes int64     `json:"headerBytes"`
	} `json:"file"`
	Users int    `json:"users"`
	Parts []Part `json:"parts"`
}

// readJournal reads the journal at path; nil, nil when there is none.
func readJournal(path string) (*journal, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cognitoimport: reading the journal: %w", err)
	}
	var j journal
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return nil, &JournalError{Journal: path, Reason: "it is not a journal of this package: " + err.Error()}
	}
	if j.Version != journalVersion {
		return nil, &JournalError{Journal: path, Reason: "its version is " + strconv.Itoa(j.Version) + ", not " + strconv.Itoa(journalVersion)}
	}
	if len(j.Parts) == 0 {
		return nil, &JournalError{Journal: path, Reason: "it lists no parts"}
	}
	return &j, nil
}

// writeJournal replaces the journal at path with j atomically: it writes a
// temporary file beside it, flushes it to disk, renames it over path and
// flushes the directory, so that a crash at any moment leaves either the
// old journal or the new one, whole.
func writeJournal(path string, j *journal) (err error) {
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, base+".*.tmp")
	if err != nil {
		return fmt.Errorf("cognitoimport: writing the journal: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("cognitoimport: writing the journal: %w", err)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync() // not every system can sync a directory: best effort
		d.Close()
	}
	return nil
}

// journalLock is the lock of a journal, held by one process at a time: a
// file beside the journal (JOURNAL.lock) that holds the holder's process ID.
// The journal itself cannot carry the lock, since each write replaces it.
type journalLock struct {
	f    *os.File
	path string
}

// lockPath returns the path of the journal's lock file.
func lockPath(journal string) string { return journal + ".lock" }

// holderPID returns the process ID written in the lock file at path, or 0.
func holderPID(path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(string(bytes.TrimSpace(data)))
	return pid
}
