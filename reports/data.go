package reports

import (
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

// dataColumns are the headers of the Data sheets.
var dataColumns = []string{"file", "line", "reporter", "partner", "indicator", "period", "value", "unit", "status", "source", "note"}

// The columns of the Data sheets, 1-based.
const (
	dcFile = iota + 1
	dcLine
	dcReporter
	dcPartner
	dcIndicator
	dcPeriod
	dcValue
	dcUnit
	dcStatus
	dcSource
	dcNote
)

// dataLayout says where each observation lands: observation i is on sheet
// sheets[i/maxDataRows], row i%maxDataRows+2.
type dataLayout struct {
	sheets []string
	// files holds, for each input file, the range of its observations;
	// within a file they are in line order.
	files []fileRange
}

type fileRange struct {
	name       string
	start, end int
}

func newDataLayout(ds *stats.Dataset) dataLayout {
	var l dataLayout
	n := max(1, (len(ds.Obs)+maxDataRows-1)/maxDataRows)
	for i := range n {
		l.sheets = append(l.sheets, dataSheetName(i))
	}
	for i := range ds.Obs {
		name := ds.Obs[i].Pos.File
		if k := len(l.files); k > 0 && l.files[k-1].name == name {
			l.files[k-1].end = i + 1
			continue
		}
		l.files = append(l.files, fileRange{name, i, i + 1})
	}
	return l
}

// dataSheetName names the i-th Data sheet: Data, Data (2), Data (3), ….
func dataSheetName(i int) string {
	if i == 0 {
		return sheetData
	}
	return sheetData + " (" + strconv.Itoa(i+1) + ")"
}

// locate returns the Data sheet and row of the observation read from pos,
// and false when no observation came from that line (a rejected row).
func (l *dataLayout) locate(ds *stats.Dataset, pos stats.Pos) (string, int, bool) {
	for _, fr := range l.files {
		if fr.name != pos.File {
			continue
		}
		obs := ds.Obs[fr.start:fr.end]
		i, found := slices.BinarySearchFunc(obs, pos.Line, func(o stats.Observation, line int) int {
			return o.Pos.Line - line
		})
		if found {
			k := fr.start + i
			return l.sheets[k/maxDataRows], k%maxDataRows + 2, true
		}
	}
	return "", 0, false
}

// writeData streams the observations into the Data sheets.
func (b *builder) writeData() error {
	obs := b.ds.Obs
	for s, name := range b.data.sheets {
		lo := s * maxDataRows
		hi := min(lo+maxDataRows, len(obs))
		if err := b.writeDataSheet(name, s, obs[lo:hi]); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) writeDataSheet(name string, index int, obs []stats.Observation) error {
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	// Widths that fit: the longest text of each column, within bounds.
	widths := make([]int, len(dataColumns))
	for i, h := range dataColumns {
		widths[i] = len(h) + 3 // room for the filter button
	}
	fit := func(col, n int) {
		widths[col-1] = max(widths[col-1], n)
	}
	for i := range obs {
		o := &obs[i]
		fit(dcFile, utf8.RuneCountInString(o.Pos.File))
		fit(dcReporter, len(o.Reporter))
		fit(dcPartner, len(o.Partner))
		fit(dcIndicator, len(o.Indicator))
		fit(dcUnit, utf8.RuneCountInString(o.Unit))
		fit(dcSource, utf8.RuneCountInString(o.Source))
		fit(dcNote, utf8.RuneCountInString(o.Note))
	}
	fit(dcLine, 9)
	fit(dcPeriod, 16)
	fit(dcValue, 12)
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, float64(min(w+1, 60))); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(dataColumns))
	for i, h := range dataColumns {
		header[i] = excelize.Cell{StyleID: b.st.header, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row := make([]any, len(dataColumns))
	// A file has few distinct codes, units, sources and periods and many
	// rows: their cell values are made once, not boxed again for each row.
	texts := map[string]any{}
	text := func(s string) any {
		if v, ok := texts[s]; ok {
			return v
		}
		v := b.st.textCell(s)
		if len(texts) < 1<<16 {
			texts[s] = v
		}
		return v
	}
	periods := map[stats.Period]any{}
	for i := range obs {
		o := &obs[i]
		row[dcFile-1] = text(o.Pos.File)
		row[dcLine-1] = o.Pos.Line
		row[dcReporter-1] = text(o.Reporter)
		row[dcPartner-1] = text(o.Partner)
		row[dcIndicator-1] = text(o.Indicator)
		pv, ok := periods[o.Period]
		if !ok {
			pv = o.Period.String()
			if len(periods) < 1<<16 {
				periods[o.Period] = pv
			}
		}
		row[dcPeriod-1] = pv
		if o.Value.Valid {
			id, err := b.st.num(numStyle{decimals: o.Value.Decimals, flagged: o.Status == stats.Provisional || o.Status == stats.Estimated})
			if err != nil {
				return err
			}
			row[dcValue-1] = excelize.Cell{StyleID: id, Value: o.Value.Num}
		} else {
			row[dcValue-1] = nil
		}
		row[dcUnit-1] = text(o.Unit)
		row[dcStatus-1] = text(o.Status.String())
		row[dcSource-1] = text(o.Source)
		if o.Note != "" {
			row[dcNote-1] = b.st.textCell(o.Note)
		} else {
			row[dcNote-1] = nil
		}
		if err := sw.SetRow(cell(1, i+2), row); err != nil {
			return err
		}
	}
	if len(obs) > 0 {
		table := "Data"
		if index > 0 {
			table += "_" + strconv.Itoa(index+1)
		}
		if err := sw.AddTable(&excelize.Table{
			Range: "A1:" + cell(len(dataColumns), len(obs)+1), Name: table, StyleName: "TableStyleLight9",
		}); err != nil {
			return err
		}
	}
	b.setDim(name, len(dataColumns), len(obs)+1)
	return sw.Flush()
}
