package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// formatValue prints v with about three significant digits.
func formatValue(v float64) string {
	switch a := max(v, -v); {
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	default:
		return fmt.Sprintf("%.3f", v)
	}
}

func formatCPU(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return formatValue(float64(d)/float64(time.Millisecond)) + "ms"
}

func formatMB(b int64) string {
	if b <= 0 {
		return ""
	}
	return formatValue(float64(b)/(1<<20)) + "MB"
}

// tableHeader names the columns of the text table.
var tableHeader = []string{"workload", "median", "min–max", "unit", "MB/s", "srv CPU/op", "cli CPU/op", "srv RSS", "cli RSS", "ratio", "vs", "target", "met"}

// writeTable prints results as an aligned text table, one row per
// workload and one more per additional comparison.
func writeTable(w io.Writer, results []*Result) error {
	rows := [][]string{tableHeader}
	for _, r := range results {
		row := make([]string, len(tableHeader))
		row[0], row[3] = r.Name, r.Unit
		switch {
		case r.Skipped != "":
			row[1] = r.Skipped
		case len(r.Samples) == 0 && r.Err != "":
			row[1] = "error: " + r.Err
		case len(r.Samples) == 0:
			row[1] = "not run"
		default:
			row[1] = formatValue(r.Median)
			row[2] = formatValue(r.Min) + "–" + formatValue(r.Max)
			if r.MBps > 0 {
				row[4] = formatValue(r.MBps)
			}
			row[5] = formatCPU(r.ServerCPU)
			row[6] = formatCPU(r.ClientCPU)
			row[7] = formatMB(r.ServerRSS)
			row[8] = formatMB(r.ClientRSS)
		}
		for i, ra := range r.Ratios {
			if i > 0 {
				row = make([]string, len(tableHeader))
				row[0] = "  " + r.Name
			}
			if ra.Value > 0 {
				row[9] = formatValue(ra.Value) + "×"
			}
			row[10], row[11], row[12] = ra.Ref, ra.Target, ra.Met
			rows = append(rows, row)
		}
		if len(r.Ratios) == 0 {
			rows = append(rows, row)
		}
		if r.Err != "" && len(r.Samples) > 0 {
			rows = append(rows, []string{"  " + r.Name, "error: " + r.Err})
		}
	}
	widths := make([]int, len(tableHeader))
	for _, row := range rows {
		for i, c := range row {
			if i < len(row)-1 || len(row) == len(tableHeader) {
				widths[i] = max(widths[i], utf8.RuneCountInString(c))
			}
		}
	}
	var b strings.Builder
	for _, row := range rows {
		var line strings.Builder
		for i, c := range row {
			line.WriteString(c)
			if i < len(row)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Report is the JSON output of a run.
type Report struct {
	Machine Machine   `json:"machine"`
	Rounds  int       `json:"rounds"`
	Started time.Time `json:"started"`
	Elapsed string    `json:"elapsed"`
	Results []*Result `json:"results"`
}

func writeJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
