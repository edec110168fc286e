package reports

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"slices"
	"strconv"
	"strings"

	"github.com/tradedesk/report/internal/lazyre"
	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

// chartCache holds the values behind every range the charts refer to, and
// writes them into the chart parts as caches: excelize writes chart series
// as bare references, and a reader that does not recalculate (a preview,
// gnumeric, LibreOffice's quick look) would draw empty charts.
type chartCache struct {
	// refs maps a reference as written in a chart part to its cache.
	refs map[string]rangeCache
}

// rangeCache is the cached content of one chart range: numbers (missing
// ones left out, as Excel does) or text.
type rangeCache struct {
	text   bool
	labels []string
	nums   []stats.Value
}

func (c *chartCache) add(ref string, rc rangeCache) {
	if c.refs == nil {
		c.refs = map[string]rangeCache{}
	}
	c.refs[ref] = rc
}

// wants reports whether a part is one that rewrite changes: the charts
// and the style sheet.
func (c *chartCache) wants(name string) bool {
	return name == "xl/styles.xml" || name == "[Content_Types].xml" || (strings.HasPrefix(name, "xl/charts/chart") && strings.HasSuffix(name, ".xml"))
}

// styleSheetRoot is the root element the style sheet is given. excelize
// declares some forty namespaces on it that its body never uses, one of
// which gnumeric warns about.
const styleSheetRoot = `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`

// chartFixes make excelize's chart parts readable without complaint by
// gnumeric while keeping them valid for Excel: booleans as 0 and 1
// (xsd:boolean allows both spellings, gnumeric only digits), no 3-D view
// for flat charts, no empty end-of-paragraph run properties, and no text
// wrapping attribute
// (square is the default; gnumeric's chart library has no such property).
var chartFixes = strings.NewReplacer(
	`="false"`, `="0"`,
	`="true"`, `="1"`,
	`<view3D><rotX val="0"></rotX><rotY val="0"></rotY><rAngAx val="0"></rAngAx><perspective val="0"></perspective></view3D>`, ``,
	`<a:endParaRPr lang="en-US" altLang="en-US"></a:endParaRPr>`, ``,
	`<a:endParaRPr lang="en-US"></a:endParaRPr>`, ``,
	` wrap="square"`, ``,
)

// dataLabels matches the data-label settings excelize writes for every
// series. They go: gnumeric does not know half of their switches, and
// LibreOffice takes a switch left out for on, so the only form all
// readers draw alike is none (an editor adds labels in one click).
var dataLabels = lazyre.New(`(?s)<dLbls>.*?</dLbls>`)

// rewrite changes the parts that wants asks for. In the content types it
// sorts the entries, which excelize lists in the order of a map. In the
// style sheet it
// replaces the root element with [styleSheetRoot]. In a chart it applies
// [chartFixes] and adds a cache after each reference it knows:
// <strRef><f>REF</f></strRef> gains a <strCache>, and the empty
// <numCache> that excelize writes after <numRef><f>REF</f> is filled.
func (c *chartCache) rewrite(name string, b []byte) ([]byte, error) {
	if name == "[Content_Types].xml" {
		return sortContentTypes(b), nil
	}
	if name == "xl/styles.xml" {
		i := bytes.Index(b, []byte("<styleSheet"))
		j := bytes.IndexByte(b[max(i, 0):], '>')
		if i < 0 || j < 0 {
			return b, nil
		}
		out := append([]byte{}, b[:i]...)
		out = append(out, styleSheetRoot...)
		return append(out, b[i+j+1:]...), nil
	}
	b = dataLabels().ReplaceAll([]byte(chartFixes.Replace(string(b))), nil)
	var out bytes.Buffer
	const emptyNumCache = "<numCache><formatCode></formatCode></numCache>"
	for {
		i := bytes.Index(b, []byte("<f>"))
		if i < 0 {
			out.Write(b)
			break
		}
		j := bytes.Index(b[i:], []byte("</f>"))
		if j < 0 {
			out.Write(b)
			break
		}
		end := i + j + len("</f>")
		out.Write(b[:end])
		ref := unescapeXML(string(b[i+len("<f>") : i+j]))
		rest := b[end:]
		if rc, ok := c.refs[ref]; ok {
			switch {
			case bytes.HasPrefix(rest, []byte("</strRef>")):
				writeStrCache(&out, rc)
			case bytes.HasPrefix(rest, []byte(emptyNumCache)) && !rc.text:
				writeNumCache(&out, rc)
				rest = rest[len(emptyNumCache):]
			}
		}
		b = rest
	}
	return out.Bytes(), nil
}

// worksheetRoot is the root element of the streamed worksheets.
// excelize's stream writer declares some seventy namespaces on it, one of
// which gnumeric warns about; the body uses only r: (table parts).
const worksheetRoot = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`

// sheetHead returns the function that rewrites the head of the parts: it
// gives a worksheet that declares the stream writer's namespaces
// [worksheetRoot] instead, and sets the dimension of each sheet in dims
// (by part name, such as xl/worksheets/sheet3.xml), which the stream writer
// writes as A1 before it knows the rows; readers that trust it (openpyxl in
// read-only mode) would see one cell.
func sheetHead(dims map[string]string) func(name string, head []byte) []byte {
	return func(name string, head []byte) []byte {
		if !strings.HasPrefix(name, "xl/worksheets/sheet") {
			return head
		}
		out := head
		if i := bytes.Index(head, []byte("<worksheet")); i >= 0 {
			if j := bytes.IndexByte(head[i:], '>'); j >= 0 && bytes.Contains(head[i:i+j], []byte("xmlns:x14=")) {
				out = append(append(append([]byte{}, head[:i]...), worksheetRoot...), head[i+j+1:]...)
			}
		}
		if ref, ok := dims[name]; ok {
			out = dimension().ReplaceAll(out, []byte(`<dimension ref="`+ref+`"></dimension>`))
		}
		return out
	}
}

// dimension matches the dimension element of a worksheet.
var dimension = lazyre.New(`<dimension ref="[^"]*"(></dimension>|/>)`)

// contentTypeEntry matches one entry of [Content_Types].xml as excelize
// writes it.
var contentTypeEntry = lazyre.New(`<(Default|Override) [^>]*>(</(Default|Override)>)?`)

// sortContentTypes sorts the Default and the Override entries of the
// content types, keeping everything around them.
func sortContentTypes(b []byte) []byte {
	locs := contentTypeEntry().FindAllIndex(b, -1)
	if len(locs) == 0 {
		return b
	}
	first, last := locs[0][0], locs[len(locs)-1][1]
	entries := make([]string, len(locs))
	for i, l := range locs {
		entries[i] = string(b[l[0]:l[1]])
	}
	// Defaults before overrides, as the schema has them.
	slices.SortStableFunc(entries, func(x, y string) int {
		return cmp.Or(cmp.Compare(boolInt(strings.HasPrefix(x, "<Override")), boolInt(strings.HasPrefix(y, "<Override"))), cmp.Compare(x, y))
	})
	out := append([]byte{}, b[:first]...)
	for _, e := range entries {
		out = append(out, e...)
	}
	return append(out, b[last:]...)
}

func unescapeXML(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var v string
	if err := xml.Unmarshal([]byte("<x>"+s+"</x>"), &v); err != nil {
		return s
	}
	return v
}

func writeStrCache(out *bytes.Buffer, rc rangeCache) {
	labels := rc.labels
	if !rc.text {
		labels = make([]string, len(rc.nums))
		for i, v := range rc.nums {
			labels[i] = v.String()
		}
	}
	out.WriteString(`<strCache><ptCount val="` + strconv.Itoa(len(labels)) + `"/>`)
	for i, l := range labels {
		out.WriteString(`<pt idx="` + strconv.Itoa(i) + `"><v>`)
		xml.EscapeText(out, []byte(l))
		out.WriteString(`</v></pt>`)
	}
	out.WriteString(`</strCache>`)
}

func writeNumCache(out *bytes.Buffer, rc rangeCache) {
	out.WriteString(`<numCache><formatCode>General</formatCode><ptCount val="` + strconv.Itoa(len(rc.nums)) + `"/>`)
	for i, v := range rc.nums {
		if !v.Valid {
			continue
		}
		out.WriteString(`<pt idx="` + strconv.Itoa(i) + `"><v>` + strconv.FormatFloat(v.Num, 'f', -1, 64) + `</v></pt>`)
	}
	out.WriteString(`</numCache>`)
}

// chartSpec is one chart of a pair: its title, kind and indicators;
// lists tells that the title names each indicator, as a chart of some of
// them names those (see chartOf).
type chartSpec struct {
	title      string
	kind       excelize.ChartType
	indicators []string
	lists      bool
}

var noVary = false

var pairCharts = []chartSpec{
	{"exports and imports", excelize.Col, []string{"exports", "imports"}, true},
	{"turnover and balance", excelize.Col, []string{"turnover", "balance"}, true},
	{"foreign direct investment, gross inflows", excelize.Col, []string{"fdi_in_gross", "fdi_out_gross"}, false},
}

func (b *builder) writeCharts() error {
	f := b.f
	const sh = sheetCharts
	if err := f.SetCellStr(sh, "A1", "Charts of the Series sheet: native charts an editor can restyle"); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A1", "A1", b.st.title); err != nil {
		return err
	}
	split := false
	for i, blk := range b.series.blocks {
		col := 1
		for _, spec := range pairCharts {
			groups := byUnit(blk, spec.indicators)
			split = split || len(groups) > 1
			for _, inds := range groups {
				title := spec.title
				// A chart of some of the spec's indicators names them.
				if len(groups) > 1 {
					title = joinList(inds)
				}
				n := 0 // a title that names no indicator stays
				if spec.lists {
					n = len(spec.indicators)
				}
				ch, ok := b.chartOf(blk, spec.kind, title, inds, n)
				if !ok {
					continue
				}
				if err := f.AddChart(sh, cell(col, 4+i*22), ch); err != nil {
					return err
				}
				col += 9
			}
		}
	}
	note := "Each chart draws one kind of period of the Series, never a year beside its months: the workbook's own (quarters, months), else years, " +
		"a year without a whole-year figure by its latest year to date; empty cells are gaps."
	if split {
		note += " Indicators of a pair in different currencies are drawn on charts of their own, a chart a currency: their figures share no axis."
	}
	if n := len(b.series.blocks); n < len(b.pairs) {
		note += " Charts are drawn for the " + strconv.Itoa(n) + " reporter–partner pairs with the largest flows of the period, the largest first."
	}
	if err := f.SetCellStr(sh, "A2", note); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A2", "A2", b.st.note); err != nil {
		return err
	}
	b.setDim(sheetCharts, 1, 2)
	return nil
}

// byUnit returns the indicators of inds that a block has figures of,
// those of each unit of their rows apart (see rowUnits), in the order of
// inds and of each unit's first: a chart has one axis, on which figures in
// EUR million and in USD million would read as one currency.
func byUnit(blk *seriesBlock, inds []string) [][]string {
	var out [][]string
	at := map[string]int{}
	for _, ind := range inds {
		u := blk.units[ind]
		if u == "" {
			continue
		}
		i, ok := at[u]
		if !ok {
			i = len(out)
			at[u] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], ind)
	}
	return out
}

// chartOf builds a chart of the kind over a block's rows of indicators in
// one unit, titled with the pair, title and the unit, and false when the
// block has none of them in the periods the chart draws (see
// chartColumns). A chart that draws fewer than the n indicators its
// title names is titled with those it draws ("imports"), where a pair
// with imports alone had a chart of "exports and imports".
func (b *builder) chartOf(blk *seriesBlock, kind excelize.ChartType, title string, indicators []string, n int) (*excelize.Chart, bool) {
	cols := b.chartColumns(blk, indicators)
	var inds []string
	for _, ind := range indicators {
		vals, ok := blk.values[ind]
		if ok && slices.ContainsFunc(cols, func(j int) bool { return vals[j].Valid }) {
			inds = append(inds, ind)
		}
	}
	if len(inds) == 0 {
		return nil, false
	}
	if len(inds) < n {
		title = joinList(inds)
	}
	cats := columnsRef(sheetSeries, blk.headerRow, cols)
	labels := make([]string, len(cols))
	for i, j := range cols {
		labels[i] = blk.periods[j].String()
	}
	b.charts.add(cats, rangeCache{text: true, labels: labels})
	ch := &excelize.Chart{
		Type:   kind,
		Format: excelize.GraphicOptions{ScaleX: 1, ScaleY: 1},
		Legend: excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{
			Width: 520, Height: 300,
		},
		ShowBlanksAs: "gap",
		VaryColors:   &noVary,
	}
	for _, ind := range inds {
		r := blk.rows[ind]
		name := absRef(sheetSeries, 1, r, 1, r)
		vals := columnsRef(sheetSeries, r, cols)
		nums := make([]stats.Value, len(cols))
		for i, j := range cols {
			nums[i] = blk.values[ind][j]
		}
		b.charts.add(name, rangeCache{text: true, labels: []string{ind}})
		b.charts.add(vals, rangeCache{nums: nums})
		ch.Series = append(ch.Series, excelize.ChartSeries{Name: name, Categories: cats, Values: vals})
	}
	title = blk.pair.Reporter + "–" + blk.pair.Partner + ": " + title + ", " + blk.units[inds[0]]
	ch.Title = excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}}
	return ch, true
}

// periodClass is a kind of period that a chart draws alone: single years
// with years to date, or periods of one kind, single or intervals.
type periodClass struct {
	kind     stats.PeriodKind
	interval bool
	yearly   bool
}

// classOf returns the class of q: yearly for a single year and for an
// interval of months or quarters from January to a month of the same year
// (2024-01/2024-07, 2024-Q1/2024-Q2), else its kind and whether it is an
// interval.
func classOf(q stats.Period) periodClass {
	if q.Kind() == stats.Year && !q.IsInterval() {
		return periodClass{yearly: true}
	}
	if ytd, ok := stats.YearToDate(q); ok && q.IsInterval() && q.Contains(ytd) && ytd.Contains(q) {
		return periodClass{yearly: true}
	}
	return periodClass{kind: q.Kind(), interval: q.IsInterval()}
}

// chartColumns returns the indexes of the periods of blk that a chart of
// inds draws, in order: those of one class (see classOf), so that a year
// never stands beside a month or a quarter beside the months it sums. The
// class is the first, in this order, with figures of inds for at least
// two periods, or else for one: the workbook's own when it is of single
// quarters, months or days; years, each once, whole where it has a
// figure, else by its year to date that ends last (January–June beside
// January–September of the same year reads as a fall); then the others,
// the one with the most periods first. Of more periods than a chart's
// reference can name, the latest are kept (see latestNamed).
func (b *builder) chartColumns(blk *seriesBlock, inds []string) []int {
	byClass := map[periodClass][]int{}
	var order []periodClass
	for j, q := range blk.periods {
		has := slices.ContainsFunc(inds, func(ind string) bool {
			vals, ok := blk.values[ind]
			return ok && vals[j].Valid
		})
		if !has {
			continue
		}
		c := classOf(q)
		// The periods of a year all begin on its first of January, and
		// stats.Compare puts the longest of them first: the year, or the
		// year to date that ends last.
		if js := byClass[c]; c.yearly && len(js) > 0 && blk.periods[js[len(js)-1]].Year() == q.Year() {
			continue
		}
		if byClass[c] == nil {
			order = append(order, c)
		}
		byClass[c] = append(byClass[c], j)
	}
	var prefer []periodClass
	if p := b.period; !p.IsInterval() && p.Kind() != stats.Year {
		prefer = append(prefer, classOf(p))
	}
	prefer = append(prefer, periodClass{yearly: true})
	slices.SortStableFunc(order, func(x, y periodClass) int { return cmp.Compare(len(byClass[y]), len(byClass[x])) })
	prefer = append(prefer, order...)
	var cols []int
	for _, least := range []int{2, 1} {
		if i := slices.IndexFunc(prefer, func(c periodClass) bool { return len(byClass[c]) >= least }); i >= 0 {
			cols = byClass[prefer[i]]
			break
		}
	}
	return latestNamed(cols, blk.headerRow+len(blk.indicators))
}

// maxChartRef is the longest reference a chart's series is given: Excel's
// dialogs cut a longer one and report it as an error.
const maxChartRef = 255

// latestNamed returns the latest runs of adjacent columns of cols (see
// columnsRef) whose reference on a row up to row is at most maxChartRef
// characters long, and at least the last run.
func latestNamed(cols []int, row int) []int {
	// Two parentheses, and a comma fewer than areas.
	n, start := 1, len(cols)
	for k := len(cols); k > 0; k = start {
		i := k - 1
		for i > 0 && cols[i-1] == cols[i]-1 {
			i--
		}
		n += len(absRef(sheetSeries, firstCol+cols[i], row, firstCol+cols[k-1], row)) + 1
		if n > maxChartRef && start < len(cols) {
			break
		}
		start = i
	}
	return cols[start:]
}

// columnsRef returns the reference of the cells of row in the columns of
// the block's periods at the indexes cols, sorted: a range where they are
// adjacent, else the union of their runs in parentheses, as Excel writes
// a chart's non-adjacent cells: ('Series'!$C$4,'Series'!$E$4:$F$4).
func columnsRef(sheet string, row int, cols []int) string {
	var areas []string
	for i := 0; i < len(cols); {
		k := i
		for k+1 < len(cols) && cols[k+1] == cols[k]+1 {
			k++
		}
		areas = append(areas, absRef(sheet, firstCol+cols[i], row, firstCol+cols[k], row))
		i = k + 1
	}
	if len(areas) == 1 {
		return areas[0]
	}
	return "(" + strings.Join(areas, ",") + ")"
}
