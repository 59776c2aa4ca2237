package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// child is a server process of the bench: the re-executed bench binary
// in serve mode.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	eps   Endpoints
	proc  proc
}

// selfCommand returns the program and leading arguments that run this
// binary in serve mode. A test binary serves too: its TestMain looks for
// serveEnv.
func selfCommand() ([]string, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return []string{exe, "serve"}, nil
}

// startChild starts a serve child with the given credentials and waits
// for its endpoints. A non-empty state is the child's state directory.
func startChild(ctx context.Context, user, password, key, state string) (*child, error) {
	argv, err := selfCommand()
	if err != nil {
		return nil, err
	}
	argv = append(argv, "-user", user, "-password", password, "-key", key, "-state", state)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), serveEnv+"=1")
	cmd.SysProcAttr = dieWithParent()
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, stdin: stdin, proc: proc{pid: cmd.Process.Pid}}
	line := make(chan error, 1)
	go func() {
		b, err := bufio.NewReader(stdout).ReadBytes('\n')
		if err == nil {
			err = json.Unmarshal(b, &c.eps)
		}
		line <- err
		io.Copy(io.Discard, stdout)
	}()
	select {
	case err = <-line:
	case <-ctx.Done():
		err = ctx.Err()
	case <-time.After(30 * time.Second):
		err = errors.New("no endpoints after 30 s")
	}
	if err != nil {
		c.stop()
		return nil, fmt.Errorf("server child: %w", err)
	}
	return c, nil
}

// stop ends the child by closing its stdin, and kills it if it does not
// exit within a few seconds.
func (c *child) stop() {
	c.stdin.Close()
	done := make(chan struct{})
	go func() {
		c.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		c.cmd.Process.Kill()
		<-done
	}
}

// dieWithParent has a child killed when the bench process dies, even by
// SIGKILL, so that no server outlives a run.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// serveEnv marks a serve child, so that a test binary re-executed as one
// knows to serve.
const serveEnv = "NCSOAP_BENCH_SERVE"

// Machine describes where a run happened.
type Machine struct {
	CPU        string `json:"cpu"`
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Go         string `json:"go"`
	Kernel     string `json:"kernel"`
	Load       string `json:"load_at_start"`
}

func machine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.Load = strings.Join(f[:3], " ")
		}
	}
	return m
}

func (m Machine) String() string {
	return fmt.Sprintf("%s, %d CPUs (GOMAXPROCS %d), %s, Linux %s, load %s", m.CPU, m.CPUs, m.GOMAXPROCS, m.Go, m.Kernel, m.Load)
}
