package main

import (
	"fmt"

	"github.com/cognitoimport/cognitoimport/cognitoimporttest"
)

// poolFile is one pool of a -pool-config file: its configuration, and the
// users and groups to seed it with.
type poolFile struct {
	cognitoimporttest.PoolConfig
	Users  []cognitoimporttest.User
	Groups []cognitoimporttest.Group
}

// seedPools adds the users, then the groups, of each pool to srv. The
// server's Go API panics on a bad user or group (an attribute the pool lacks,
// a username twice, a member that is not a user); seedPools returns that as
// an error instead.
func seedPools(srv *cognitoimporttest.Server, pools []poolFile) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	for _, p := range pools {
		for _, u := range p.Users {
			srv.AddUser(p.ID, u)
		}
		for _, g := range p.Groups {
			srv.AddGroup(p.ID, g)
		}
	}
	return nil
}
