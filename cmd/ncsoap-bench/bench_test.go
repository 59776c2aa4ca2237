package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestMain lets the test binary act as the serve child: startChild
// re-executes the running binary with "serve" and serveEnv set.
func TestMain(m *testing.M) {
	if os.Getenv(serveEnv) == "1" && len(os.Args) > 1 && os.Args[1] == "serve" {
		os.Exit(serveMain(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestQuickRun runs the tool with -quick on cheap workloads of every kind
// but the peers, and checks the table and the JSON report.
func TestQuickRun(t *testing.T) {
	only := "bare/http-1conn,bare/ssh,soap/get-config,ssh/get-config,ssh/setup,ssh/1k-load,ssh/1k-filter,data/1k-get"
	ctx := context.Background()

	var out, log bytes.Buffer
	code := run(ctx, []string{"-quick", "-rounds", "1", "-window", "50ms", "-only", only}, &out, &log)
	require.Equal(t, 0, code, "stderr:\n%s", log.String())
	table := out.String()
	for _, name := range strings.Split(only, ",") {
		require.Contains(t, table, name)
	}
	require.Contains(t, table, "bare/http-1conn  ", "the soap/get-config row shows its bound")
	require.Regexp(t, `ssh/get-config +[0-9.]+ +[0-9.]+–[0-9.]+ +rpc/s .* [0-9.]+× +bare/ssh +≥0.8× #6 +(yes|no)`, table)
	require.Regexp(t, `ssh/1k-load .* [0-9.]+MB +[0-9.]+MB`, table, "peak RSS of server and client")

	out.Reset()
	code = run(ctx, []string{"-quick", "-rounds", "2", "-window", "50ms", "-json", "-only", "bare/ssh"}, &out, io.Discard)
	require.Equal(t, 0, code)
	var rep Report
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
	require.Equal(t, 2, rep.Rounds)
	require.Len(t, rep.Results, 1)
	require.Len(t, rep.Results[0].Samples, 2)
	require.Positive(t, rep.Results[0].Median)
}

func TestFlags(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		code    int
		wantErr string
	}{
		{[]string{"-rounds", "0", "-list"}, 0, ""}, // 0 is the default
		{[]string{"-rounds", "-1"}, 2, "-rounds must be at least 1"},
		{[]string{"-only", "nothing/*"}, 2, "matches no workload"},
		{[]string{"-only", "["}, 2, "matches no workload"},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
		{[]string{"-help"}, 0, ""},
	} {
		var log bytes.Buffer
		code := run(context.Background(), tt.args, io.Discard, &log)
		require.Equal(t, tt.code, code, "%v: %s", tt.args, log.String())
		require.Contains(t, log.String(), tt.wantErr)
	}
}

func TestList(t *testing.T) {
	var out bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"-list"}, &out, io.Discard))
	for _, name := range []string{"bare/http-64conn", "soap/commit", "ssh/64-sessions", "netconfd/edit-config",
		"ncclient-1ms/get-config", "ssh/100k-get-config", "netconfd/10k-load", "data/100k-create"} {
		require.Contains(t, out.String(), name+" ")
	}
}

func TestSelectWorkloads(t *testing.T) {
	all := []*Workload{{Name: "bare/ssh"}, {Name: "ssh/get-config"}, {Name: "ssh/10k-load"}, {Name: "ncclient/get-config"}}
	names := func(ws []*Workload) []string {
		var s []string
		for _, w := range ws {
			s = append(s, w.Name)
		}
		return s
	}
	for _, tt := range []struct {
		only string
		want []string
	}{
		{"", []string{"bare/ssh", "ssh/get-config", "ssh/10k-load", "ncclient/get-config"}},
		{"ssh/*", []string{"ssh/get-config", "ssh/10k-load"}},
		{"*ssh*", []string{"bare/ssh", "ssh/get-config", "ssh/10k-load"}},
		{"ncclient*", []string{"ncclient/get-config"}},
		{"bare/ssh,ssh/??k-load", []string{"bare/ssh", "ssh/10k-load"}},
		{"ssh/get-config", []string{"ssh/get-config"}},
		{"ssh.get-config", nil},
	} {
		ws, err := selectWorkloads(all, tt.only)
		if tt.want == nil {
			require.Error(t, err, tt.only)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tt.want, names(ws), tt.only)
	}
}

func TestRunRoundsInterleaves(t *testing.T) {
	var order []string
	mk := func(name, unit string, vals ...float64) *Workload {
		i := 0
		return &Workload{Name: name, Unit: unit, Run: func(context.Context) (Sample, error) {
			order = append(order, name)
			v := vals[i%len(vals)]
			i++
			return Sample{Value: v, ServerCPU: time.Duration(v) * time.Microsecond}, nil
		}}
	}
	a := mk("a", unitRate, 100, 300, 200)
	bnd := mk("bound", unitRate, 400, 400, 400)
	slow := mk("slow", unitMS, 2, 8, 4)
	fast := mk("fast", unitMS, 1, 1, 1)
	a.Compares = []Compare{{Ref: "bound", Target: Target{MinRatio: 0.8}}}
	fast.Compares = []Compare{{Ref: "slow", Target: Target{MinRatio: 3}}, {Target: Target{MaxValue: 0.5}}, {Ref: "missing"}}
	slow.Compares = []Compare{{Anchor: 12, AnchorName: "pub", Target: Target{MinRatio: 3}}, {Target: Target{MaxServerCPU: 5 * time.Microsecond}}}
	skipped := &Workload{Name: "peer", Unit: unitRate, Setup: func(context.Context) error { return errSkip }}

	res := runRounds(context.Background(), []*Workload{a, bnd, slow, fast, skipped}, 3, nil)
	require.Equal(t, strings.Repeat("a bound slow fast ", 3), strings.Join(order, " ")+" ")

	require.Equal(t, 200.0, res[0].Median)
	require.Equal(t, 100.0, res[0].Min)
	require.Equal(t, 300.0, res[0].Max)
	require.Equal(t, []Ratio{{Ref: "bound", Value: 0.5, Target: "≥0.8×", Met: "no"}}, res[0].Ratios)
	require.Equal(t, []Ratio{
		{Ref: "pub 12.0 ms", Value: 3, Target: "≥3×", Met: "yes"},
		{Target: "srv CPU ≤0.005ms", Met: "yes"},
	}, res[2].Ratios)
	require.Equal(t, 4*time.Microsecond, res[2].ServerCPU)
	require.Equal(t, []Ratio{
		{Ref: "slow", Value: 4, Target: "≥3×", Met: "yes"},
		{Target: "≤0.5", Met: "no"},
		{Ref: "missing"},
	}, res[3].Ratios)
	require.Equal(t, "skipped", res[4].Skipped)

	var out bytes.Buffer
	require.NoError(t, writeTable(&out, res))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 1+1+1+2+3+1)
	col := strings.Index(lines[0], "median")
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "  ") {
			require.Equal(t, ' ', rune(l[col-1]), "aligned: %q", l)
		}
	}
	require.Regexp(t, `fast .* 4.00× +slow +≥3× +yes`, out.String())
}

func TestPairedRatio(t *testing.T) {
	a := []Sample{{Round: 1, Value: 10}, {Round: 2, Value: 30}, {Round: 4, Value: 5}}
	ref := []Sample{{Round: 1, Value: 20}, {Round: 2, Value: 30}, {Round: 3, Value: 1}}
	require.Equal(t, 0.75, pairedRatio(a, ref, true))
	require.Equal(t, 1.5, pairedRatio(a, ref, false))
	require.Zero(t, pairedRatio(a, nil, true))
}

func TestRoundOrder(t *testing.T) {
	b, err := newBench(&options{window: time.Millisecond}, io.Discard)
	require.NoError(t, err)
	var names []string
	for _, w := range b.workloads() {
		names = append(names, w.Name)
	}
	require.Equal(t, []string{"bare/http-1conn", "soap/get-config", "bare/ssh", "ssh/get-config", "netconfd/get-config"}, names[:5])
	i := slices.Index(names, "ssh/10k-load")
	require.Equal(t, "netconfd/10k-load", names[i+1])
	require.Equal(t, "data/100k-get", names[len(names)-1])
}

func TestMedian(t *testing.T) {
	require.Equal(t, 0.0, median(nil))
	require.Equal(t, 3.0, median([]float64{5, 3, 1}))
	require.Equal(t, 2.5, median([]float64{4, 1, 3, 2}))
}

func TestProcParsers(t *testing.T) {
	stat := []byte("1234 (a (weird) name) S 1 1234 1234 0 -1 4194560 2000 0 0 0 250 75 0 0 20 0 9 0 100 0 0\n")
	d, err := parseStatCPU(stat)
	require.NoError(t, err)
	require.Equal(t, 3250*time.Millisecond, d)
	_, err = parseStatCPU([]byte("1 (x) S 1 2"))
	require.Error(t, err)
	_, err = parseStatCPU([]byte("no name"))
	require.Error(t, err)

	status := []byte("Name:\tx\nVmPeak:\t  2000 kB\nVmHWM:\t    1956 kB\n")
	n, err := parseStatusKB(status, "VmHWM:")
	require.NoError(t, err)
	require.Equal(t, int64(1956<<10), n)
	_, err = parseStatusKB(status, "VmRSS:")
	require.Error(t, err)
	_, err = parseStatusKB([]byte("VmHWM: 12 MB\n"), "VmHWM:")
	require.Error(t, err)

	self := proc{}
	require.NoError(t, self.resetPeakRSS())
	rss, err := self.peakRSS()
	require.NoError(t, err)
	require.Positive(t, rss)
	_, err = self.cpu()
	require.NoError(t, err)
}

func TestMessageID(t *testing.T) {
	require.Equal(t, "42", string(messageID([]byte(`<rpc xmlns="x" message-id="42"><get/></rpc>`))))
	require.Nil(t, messageID([]byte(`<rpc/>`)))
	require.Nil(t, messageID([]byte(`<rpc message-id="4`)))
	require.Equal(t, `<rpc-reply xmlns="`+baseNS+`" message-id="7"><data><x/></data></rpc-reply>`,
		string(appendReply(nil, []byte("7"), []byte("<x/>"))))
}

func TestFormatValue(t *testing.T) {
	for v, want := range map[float64]string{1234.5: "1234", 12.345: "12.3", 1.2345: "1.23", 0.12345: "0.123"} {
		require.Equal(t, want, formatValue(v))
	}
	require.Equal(t, "", formatCPU(0))
	require.Equal(t, "1.50ms", formatCPU(1500*time.Microsecond))
	require.Equal(t, "2.00MB", formatMB(2<<20))
}
