// Command cpuhog runs a command while busy loops keep every CPU busy, so that
// tests which pass only on an idle machine fail where their authors can see
// it. It exits with the command's status, so a failing command fails the
// run:
//
//	go run ./internal/tools/cpuhog go test -race -count=20 ./...
//
// The loops stop when the command ends. Ctrl-C reaches the command as it
// would without cpuhog; cpuhog then exits with the command's status.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"sync/atomic"
)

func main() {
	loops := flag.Int("loops", runtime.NumCPU(), "number of busy loops, one per CPU by default")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: cpuhog [-loops n] command [args...]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 || *loops < 0 {
		flag.Usage()
		os.Exit(2)
	}
	os.Exit(run(*loops, flag.Args()))
}

// run starts loops busy goroutines, runs args, and returns its exit code.
func run(loops int, args []string) int {
	if loops > runtime.GOMAXPROCS(0) {
		runtime.GOMAXPROCS(loops)
	}
	var stop atomic.Bool
	for range loops {
		go func() {
			for n := 0; !stop.Load(); n++ {
			}
		}()
	}
	defer stop.Store(true)

	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// A terminal's Ctrl-C reaches the command too (same process group);
	// an interrupt sent to cpuhog alone is passed on. Either way cpuhog
	// waits for the command and returns its status.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "cpuhog:", err)
		return 1
	}
	go func() {
		for sig := range sigs {
			_ = cmd.Process.Signal(sig) // unsupported on Windows; Ctrl-C reaches the command there anyway
		}
	}()
	err := cmd.Wait()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		return exit.ExitCode()
	default:
		fmt.Fprintln(os.Stderr, "cpuhog:", err)
		return 1
	}
}
