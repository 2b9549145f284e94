package cognitoimport

import "context"

// ImportAllWithHooks is ImportAll with a part's limits lowered to maxUsers
// users and maxBytes bytes (0 keeps the service's), and crash, when not
// nil, called before and after every write of the journal: an error it
// returns ends the call there, as a crash of the process would.
func ImportAllWithHooks(c *Client, ctx context.Context, in ImportAllInput, maxUsers int, maxBytes int64, crash func() error) ([]Part, error) {
	return c.importAll(ctx, in, importAllHooks{limits: partLimits{users: maxUsers, bytes: maxBytes}, crash: crash}, nil)
}

// LockJournal takes the lock ImportAll takes on journal, and returns the
// function that releases it.
func LockJournal(journal string) (unlock func(), err error) {
	l, err := lockJournal(journal)
	if err != nil {
		return nil, err
	}
	return l.unlock, nil
}
