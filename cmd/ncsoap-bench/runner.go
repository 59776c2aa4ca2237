package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Units of a workload's value. Rates are better when higher, times when
// lower.
const (
	unitRate = "rpc/s"
	unitMS   = "ms"
)

// Sample is what one round of a workload measured.
type Sample struct {
	// Round is the round the sample was taken in, from 1.
	Round int `json:"round"`
	// Value is the round's figure in the workload's unit: a rate over
	// the round, or the mean time of one operation.
	Value float64 `json:"value"`
	// ServerCPU is the server's CPU time per operation, when measured.
	ServerCPU time.Duration `json:"server_cpu_ns,omitempty"`
	// ClientCPU is the bench process's CPU time per operation, when
	// measured (the whole process: for in-process workloads that is the
	// data layer itself).
	ClientCPU time.Duration `json:"client_cpu_ns,omitempty"`
	// ServerRSS and ClientRSS are peak resident set sizes in bytes
	// during the round, when measured.
	ServerRSS int64 `json:"server_peak_rss,omitempty"`
	ClientRSS int64 `json:"client_peak_rss,omitempty"`
	// MBps is the payload throughput of a bulk transfer, when measured.
	MBps float64 `json:"mb_per_s,omitempty"`
}

// Target is a goal a workload is checked against.
type Target struct {
	// MinRatio asks for at least this speed-up over the comparison's
	// reference (ratio ≥ MinRatio).
	MinRatio float64
	// MaxValue asks for a median of at most this, in the workload's
	// unit.
	MaxValue float64
	// MaxServerCPU asks for a median server CPU time per operation of at
	// most this.
	MaxServerCPU time.Duration
	// Issue names the issue the target comes from, such as "#6".
	Issue string
}

// String returns the target as the table shows it.
func (t Target) String() string {
	var s string
	switch {
	case t.MinRatio > 0:
		s = fmt.Sprintf("≥%g×", t.MinRatio)
	case t.MaxValue > 0:
		s = fmt.Sprintf("≤%g", t.MaxValue)
	case t.MaxServerCPU > 0:
		s = fmt.Sprintf("srv CPU ≤%gms", float64(t.MaxServerCPU)/float64(time.Millisecond))
	}
	if t.Issue != "" && s != "" {
		s += " " + t.Issue
	}
	return s
}

// Compare relates a workload to a reference: another workload of the same
// run, or a published anchor value. An empty comparison with only a
// Target checks the workload's own figures.
type Compare struct {
	// Ref names the reference workload.
	Ref string
	// Anchor is a published reference value in the workload's unit, used
	// when Ref is empty; AnchorName says where it comes from.
	Anchor     float64
	AnchorName string
	Target     Target
}

// Workload is one measured operation.
type Workload struct {
	Name string
	// Unit is unitRate or unitMS.
	Unit string
	// What says in a few words what one operation is.
	What     string
	Compares []Compare
	// Setup prepares the workload once before the rounds; it returns an
	// error wrapping errSkip when a peer is not installed.
	Setup func(ctx context.Context) error
	// Run measures one round.
	Run func(ctx context.Context) (Sample, error)
}

// runTimeout bounds one workload's setup or round, so that a server
// that stops answering fails the workload instead of the whole run.
const runTimeout = 3 * time.Minute

// errSkip marks a workload that cannot run on this machine.
var errSkip = errors.New("skipped")

// higherBetter reports whether larger values are better.
func (w *Workload) higherBetter() bool { return w.Unit == unitRate }

// Result is the outcome of one workload over all rounds.
type Result struct {
	Name    string   `json:"name"`
	Unit    string   `json:"unit"`
	What    string   `json:"what"`
	Samples []Sample `json:"samples,omitempty"`
	Median  float64  `json:"median"`
	Min     float64  `json:"min"`
	Max     float64  `json:"max"`
	// ServerCPU and ClientCPU are the median CPU times per operation.
	ServerCPU time.Duration `json:"server_cpu_ns,omitempty"`
	ClientCPU time.Duration `json:"client_cpu_ns,omitempty"`
	// ServerRSS and ClientRSS are the largest peaks seen in any round.
	ServerRSS int64   `json:"server_peak_rss,omitempty"`
	ClientRSS int64   `json:"client_peak_rss,omitempty"`
	MBps      float64 `json:"mb_per_s,omitempty"`
	Err       string  `json:"error,omitempty"`
	Skipped   string  `json:"skipped,omitempty"`
	Ratios    []Ratio `json:"ratios,omitempty"`
}

// Ratio is one comparison of a Result.
type Ratio struct {
	// Ref is the reference workload or anchor.
	Ref string `json:"ref,omitempty"`
	// Value is how many times faster the workload is than its reference
	// (0 when there is no reference figure): the median over the rounds
	// of the ratio within each round, when the reference is a workload.
	Value  float64 `json:"value,omitempty"`
	Target string  `json:"target,omitempty"`
	// Met is "yes", "no", or "" when there is no target or no figure.
	Met string `json:"met,omitempty"`
}

// selectWorkloads returns the workloads whose names match one of the
// comma-separated glob patterns of only (all when only is empty).
func selectWorkloads(all []*Workload, only string) ([]*Workload, error) {
	if only == "" {
		return all, nil
	}
	var out []*Workload
	var pats []*regexp.Regexp
	for _, p := range strings.Split(only, ",") {
		pats = append(pats, globRegexp(p))
	}
	for _, w := range all {
		for _, p := range pats {
			if p.MatchString(w.Name) {
				out = append(out, w)
				break
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-only %q matches no workload", only)
	}
	return out, nil
}

// globRegexp compiles a glob in which '*' matches any run of characters,
// '/' included, and '?' any one character.
func globRegexp(glob string) *regexp.Regexp {
	q := regexp.QuoteMeta(glob)
	q = strings.ReplaceAll(q, `\*`, ".*")
	q = strings.ReplaceAll(q, `\?`, ".")
	return regexp.MustCompile("^" + q + "$")
}

// runRounds sets every workload up and then runs them in interleaved
// rounds: round 1 runs each workload once in order, then round 2, and so
// on, so that slow drifts of the machine hit every workload alike.
// progress, when not nil, receives one line per workload and round.
func runRounds(ctx context.Context, ws []*Workload, rounds int, progress io.Writer) []*Result {
	results := make([]*Result, len(ws))
	for i, w := range ws {
		r := &Result{Name: w.Name, Unit: w.Unit, What: w.What}
		results[i] = r
		if w.Setup == nil {
			continue
		}
		sctx, cancel := context.WithTimeout(ctx, runTimeout)
		err := w.Setup(sctx)
		cancel()
		if errors.Is(err, errSkip) {
			r.Skipped = err.Error()
		} else if err != nil {
			r.Err = "setup: " + err.Error()
		}
		if progress != nil && (r.Err != "" || r.Skipped != "") {
			fmt.Fprintf(progress, "%-28s %s%s\n", w.Name, r.Err, r.Skipped)
		}
	}
	for round := 1; round <= rounds; round++ {
		for i, w := range ws {
			r := results[i]
			if r.Err != "" || r.Skipped != "" || ctx.Err() != nil {
				continue
			}
			rctx, cancel := context.WithTimeout(ctx, runTimeout)
			s, err := w.Run(rctx)
			cancel()
			s.Round = round
			if err != nil {
				r.Err = fmt.Sprintf("round %d: %v", round, err)
			} else {
				r.Samples = append(r.Samples, s)
			}
			if progress != nil {
				if err != nil {
					fmt.Fprintf(progress, "round %d/%d %-28s error: %v\n", round, rounds, w.Name, err)
				} else {
					fmt.Fprintf(progress, "round %d/%d %-28s %s %s\n", round, rounds, w.Name, formatValue(s.Value), w.Unit)
				}
			}
		}
	}
	for _, r := range results {
		summarize(r)
	}
	byName := map[string]*Result{}
	for _, r := range results {
		byName[r.Name] = r
	}
	for i, w := range ws {
		compare(results[i], w, byName)
	}
	return results
}

// summarize computes the median, range and peaks of r's samples.
func summarize(r *Result) {
	if len(r.Samples) == 0 {
		return
	}
	vals := make([]float64, len(r.Samples))
	var srv, cli, mbps []float64
	for i, s := range r.Samples {
		vals[i] = s.Value
		if s.ServerCPU > 0 {
			srv = append(srv, float64(s.ServerCPU))
		}
		if s.ClientCPU > 0 {
			cli = append(cli, float64(s.ClientCPU))
		}
		if s.MBps > 0 {
			mbps = append(mbps, s.MBps)
		}
		r.ServerRSS = max(r.ServerRSS, s.ServerRSS)
		r.ClientRSS = max(r.ClientRSS, s.ClientRSS)
	}
	r.Median, r.Min, r.Max = median(vals), slices.Min(vals), slices.Max(vals)
	r.ServerCPU = time.Duration(median(srv))
	r.ClientCPU = time.Duration(median(cli))
	if len(mbps) > 0 {
		r.MBps = median(mbps)
	}
}

// median returns the median of vals, the mean of the middle two for an
// even count.
func median(vals []float64) float64 {
	s := slices.Clone(vals)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// compare fills r.Ratios from w's comparisons.
func compare(r *Result, w *Workload, byName map[string]*Result) {
	for _, c := range w.Compares {
		ra := Ratio{Target: c.Target.String()}
		switch {
		case c.Ref != "":
			ra.Ref = c.Ref
			if o := byName[c.Ref]; o != nil {
				ra.Value = pairedRatio(r.Samples, o.Samples, w.higherBetter())
			}
		case c.Anchor > 0:
			ra.Ref = fmt.Sprintf("%s %s %s", c.AnchorName, formatValue(c.Anchor), w.Unit)
			if r.Median > 0 {
				ra.Value = c.Anchor / r.Median
			}
		}
		have := len(r.Samples) > 0
		t := c.Target
		switch {
		case !have:
		case t.MinRatio > 0 && ra.Value > 0:
			ra.Met = yesNo(ra.Value >= t.MinRatio)
		case t.MaxValue > 0:
			ra.Met = yesNo(r.Median <= t.MaxValue)
		case t.MaxServerCPU > 0 && r.ServerCPU > 0:
			ra.Met = yesNo(r.ServerCPU <= t.MaxServerCPU)
		}
		r.Ratios = append(r.Ratios, ra)
	}
}

// pairedRatio is the median over the rounds both workloads completed of
// the speed-up of a over ref in that round, so that a round in which the
// machine was busy counts against both.
func pairedRatio(a, ref []Sample, higherBetter bool) float64 {
	byRound := map[int]float64{}
	for _, s := range ref {
		byRound[s.Round] = s.Value
	}
	var ratios []float64
	for _, s := range a {
		r, ok := byRound[s.Round]
		if !ok || r <= 0 || s.Value <= 0 {
			continue
		}
		if higherBetter {
			ratios = append(ratios, s.Value/r)
		} else {
			ratios = append(ratios, r/s.Value)
		}
	}
	return median(ratios)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
