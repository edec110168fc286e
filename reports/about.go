package reports

import (
	"maps"
	"slices"
	"strconv"

	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

func (b *builder) writeAbout() error {
	f := b.f
	const sh = sheetAbout
	for i, w := range []float64{26, 44, 14, 70, 80} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, col, col, w); err != nil {
			return err
		}
	}
	row := 1
	put := func(style int, texts ...string) error {
		for i, t := range texts {
			c := cell(i+1, row)
			if err := b.setText(sh, c, t); err != nil {
				return err
			}
			if style != 0 {
				if err := f.SetCellStyle(sh, c, c, style); err != nil {
					return err
				}
			}
		}
		row++
		return nil
	}
	putNum := func(label string, n int) error {
		if err := b.setText(sh, cell(1, row), label); err != nil {
			return err
		}
		if err := f.SetCellInt(sh, cell(2, row), int64(n)); err != nil {
			return err
		}
		row++
		return nil
	}
	// putInput writes the row of an input file: its name, its SHA-256 and
	// size, or "not given".
	putInput := func(in Input) error {
		sum := in.SHA256
		if sum == "" {
			sum = "not given"
		}
		if err := put(0, in.Name, sum); err != nil {
			return err
		}
		if in.SHA256 == "" {
			return nil
		}
		return f.SetCellInt(sh, cell(3, row-1), in.Size)
	}
	version := b.w.Version
	if version == "" {
		version = "devel"
	}
	steps := []func() error{
		func() error { return put(b.st.title, "About this workbook") },
		func() error { return put(0, "period", b.period.String()) },
		func() error { return put(0, "as of", b.w.AsOf.UTC().Format("2006-01-02T15:04:05Z")) },
		func() error { return put(0, "tool", "report "+version) },
		func() error { return putNum("rows read", b.ds.Rows) },
		func() error { return putNum("observations", b.observations) },
		func() error { return putNum("rows rejected", b.rejected()) },
		func() error { return putNum("errors", b.errors) },
		func() error { return putNum("warnings", b.warns) },
		func() error { row++; return put(b.st.header, "input file", "SHA-256", "bytes") },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	inputs := b.w.Inputs
	if len(inputs) == 0 {
		for _, name := range b.ds.Files {
			inputs = append(inputs, Input{Name: name})
		}
	}
	for _, in := range inputs {
		if err := putInput(in); err != nil {
			return err
		}
	}
	row++
	if err := put(b.st.header, "source", "observations"); err != nil {
		return err
	}
	for _, s := range slices.Sorted(maps.Keys(b.sources)) {
		if err := put(0, s); err != nil {
			return err
		}
		if err := f.SetCellInt(sh, cell(2, row-1), int64(b.sources[s])); err != nil {
			return err
		}
	}
	row++
	notes := []string{
		"Derived figures: a period not published is the sum of the published periods of one finer kind that exactly cover it (months to a quarter, quarters to a year); turnover = exports + imports and balance = exports − imports when not published. Missing is never zero: a figure with a missing term is left empty.",
		"Derived figures are formulas with their values stored, so that every reader shows numbers; Excel recalculates them on opening.",
		"Text from the input is stored as text, never as a formula.",
	}
	for _, n := range notes {
		if err := put(b.st.note, n); err != nil {
			return err
		}
	}
	// The rules come last: their number grows with the engine.
	row++
	if err := put(b.st.note, "Rules, as the checks ran them. Rounding: every figure stands for the interval its written decimals allow (33.3 for 33.25 to 33.35); an identity holds when the intervals meet."); err != nil {
		return err
	}
	if err := put(b.st.header, "rule", "severity", "tolerance", "description", "status"); err != nil {
		return err
	}
	for _, r := range stats.Rules() {
		var rc stats.RuleConfig
		if b.w.Config != nil && b.w.Config.Rules != nil {
			rc = b.w.Config.Rules[r.ID]
		}
		sev := r.Severity
		if rc.Severity != 0 {
			sev = rc.Severity
		}
		status := "on"
		if rc.Disabled {
			status = "off"
		}
		if err := put(0, r.ID, sev.String(), rc.Tolerance.String(), r.Description, status); err != nil {
			return err
		}
	}
	// The values the check used, its defaults where the rules file set
	// none (an unset factor read 0).
	factor, threshold := b.w.Config.Mirror()
	if err := put(0, "mirror factor and threshold", strconv.FormatFloat(factor, 'f', -1, 64)+", "+strconv.FormatFloat(threshold*100, 'f', -1, 64)+"%"); err != nil {
		return err
	}
	if rf := b.w.RulesFile; rf != nil {
		row++
		if err := put(b.st.header, "rules file", "SHA-256", "bytes"); err != nil {
			return err
		}
		if err := putInput(rf.Input); err != nil {
			return err
		}
		if len(rf.Rules) > 0 {
			if err := put(b.st.header, "rule", "severity", "tolerance", "description"); err != nil {
				return err
			}
		}
		for _, r := range rf.Rules {
			if err := put(0, r.ID, r.Severity.String(), r.Tolerance.String(), r.Description); err != nil {
				return err
			}
		}
	}
	b.setDim(sheetAbout, 5, row-1)
	return nil
}

// rejected returns the rows the loader left out: the rows read less the
// observations. The data's problems are not that: a row can have several,
// and they are kept only up to [stats.LoadOptions.MaxProblems], the rest
// counted in a last one. A dataset made without a loader, whose rows read
// are not counted, has its problems.
func (b *builder) rejected() int {
	if b.ds.Rows > 0 {
		return b.ds.Rows - b.observations
	}
	return len(b.ds.Problems)
}
