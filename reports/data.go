package reports

import (
	"slices"
	"strconv"

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
		// A file given twice is two ranges: the lines go back where the
		// second begins.
		if k := len(l.files); k > 0 && l.files[k-1].name == name && ds.Obs[i].Pos.Line > ds.Obs[i-1].Pos.Line {
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

// startData starts encoding and compressing the rows of the Data sheets
// on another goroutine, so that they are made while the other sheets are
// built; writeData waits for them.
func (b *builder) startData() error {
	if b.dataDone != nil || b.w.Rows != nil {
		// Started, or the rows were encoded as they were read (see survey).
		return nil
	}
	// The number styles are made here: excelize's File is not safe for
	// concurrent use, and the encoders only read the styles they are given.
	nums := map[numStyle][]byte{}
	obs := b.ds.Obs
	for i := range obs {
		k := valueStyle(&obs[i])
		if _, ok := nums[k]; ok {
			continue
		}
		id, err := b.st.num(k)
		if err != nil {
			return err
		}
		nums[k] = []byte(` s="` + strconv.Itoa(id) + `"`)
	}
	encs := make([]*rowEncoder, len(b.data.sheets))
	for s := range encs {
		encs[s] = newRowEncoder(b.st.text, nums, b.w.TmpDir)
	}
	b.dataEncs = encs
	done := make(chan error, 1)
	b.dataDone = done
	go func() {
		for s, enc := range encs {
			lo := s * maxDataRows
			hi := min(lo+maxDataRows, len(obs))
			if err := enc.addAll(obs[lo:hi]); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	return nil
}

// waitData waits for the rows of the Data sheets, once, and returns the
// error of their encoding.
func (b *builder) waitData() error {
	if b.dataDone == nil {
		return nil
	}
	if !b.dataWaited {
		b.dataWaited = true
		b.dataErr = <-b.dataDone
	}
	return b.dataErr
}

// writeData writes the Data sheets around the rows that startData made.
func (b *builder) writeData() error {
	if err := b.startData(); err != nil {
		return err
	}
	if err := b.waitData(); err != nil {
		return err
	}
	for s, name := range b.data.sheets {
		if err := b.finishDataSheet(name, s, b.dataEncs[s]); err != nil {
			return err
		}
	}
	return nil
}

// valueStyle is the number style of an observation's value.
func valueStyle(o *stats.Observation) numStyle {
	return numStyle{decimals: o.Value.Decimals, flagged: o.Status == stats.Provisional || o.Status == stats.Estimated}
}

// finishDataSheet ends the Data sheet name whose rows enc holds: excelize
// writes the sheet with its header, column widths, frozen pane and table,
// and the rows are spliced in when the archive is written.
func (b *builder) finishDataSheet(name string, index int, enc *rowEncoder) error {
	seg, err := enc.finish()
	if err != nil {
		return err
	}
	b.segments[name] = seg
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	spans := make([]colSpan, len(enc.widths))
	for i, w := range enc.widths {
		spans[i] = colSpan{i + 1, i + 1, float64(min(w+1, 60))}
	}
	if err := setColWidths(sw, spans); err != nil {
		return err
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
	if enc.rows > 0 {
		table := "Data"
		if index > 0 {
			table += "_" + strconv.Itoa(index+1)
		}
		if err := sw.AddTable(&excelize.Table{
			Range: "A1:" + cell(len(dataColumns), enc.rows+1), Name: table, StyleName: "TableStyleLight9",
		}); err != nil {
			return err
		}
	}
	b.setDim(name, len(dataColumns), enc.rows+1)
	return sw.Flush()
}
