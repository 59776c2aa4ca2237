package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of utime and stime in /proc/PID/stat: USER_HZ,
// which is 100 on every Linux architecture Go supports.
const clockTick = 10 * time.Millisecond

// proc reads the CPU time and memory of one process from /proc. The zero
// value, or one with pid 0, means the bench process itself.
type proc struct{ pid int }

func (p proc) path(file string) string {
	if p.pid == 0 {
		return "/proc/self/" + file
	}
	return fmt.Sprintf("/proc/%d/%s", p.pid, file)
}

// cpu returns the user plus system CPU time the process has used.
func (p proc) cpu() (time.Duration, error) {
	b, err := os.ReadFile(p.path("stat"))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(b)
}

// parseStatCPU reads utime and stime, fields 14 and 15 of
// /proc/PID/stat. The second field, the command name in parentheses, may
// hold spaces, so fields are counted from the last ')'.
func parseStatCPU(stat []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("proc stat: no command name")
	}
	f := strings.Fields(string(stat[i+1:]))
	// f[0] is field 3 (state); utime is field 14.
	if len(f) < 13 {
		return 0, fmt.Errorf("proc stat: %d fields after the command name, want at least 13", len(f))
	}
	utime, err1 := strconv.ParseUint(f[11], 10, 64)
	stime, err2 := strconv.ParseUint(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("proc stat: bad utime %q or stime %q", f[11], f[12])
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// peakRSS returns the process's peak resident set size (VmHWM) in bytes.
func (p proc) peakRSS() (int64, error) {
	b, err := os.ReadFile(p.path("status"))
	if err != nil {
		return 0, err
	}
	return parseStatusKB(b, "VmHWM:")
}

// parseStatusKB returns the value of a "Name:   N kB" line of
// /proc/PID/status in bytes.
func parseStatusKB(status []byte, name string) (int64, error) {
	for _, line := range strings.Split(string(status), "\n") {
		rest, ok := strings.CutPrefix(line, name)
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("proc status: bad %s line %q", name, line)
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("proc status: bad %s line %q", name, line)
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("proc status: no %s line", name)
}

// resetPeakRSS sets the process's VmHWM back to its current RSS, so that
// the next peakRSS reports the peak from now on (Linux 4.0+).
func (p proc) resetPeakRSS() error {
	return os.WriteFile(p.path("clear_refs"), []byte("5"), 0)
}
