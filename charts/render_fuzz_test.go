package charts_test

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"

	"github.com/tradedesk/report/charts"
)

// FuzzRender checks that any chart New accepts renders without a panic,
// whatever its values: zero, negative, huge, tiny or missing.
func FuzzRender(f *testing.F) {
	f.Add(uint8(0), uint8(2), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add(uint8(5), uint8(3), bytes.Repeat([]byte{0xff}, 64))
	f.Add(uint8(3), uint8(1), make([]byte, 8))
	f.Fuzz(func(t *testing.T, kind, n uint8, data []byte) {
		kinds := charts.Kinds()
		k := kinds[int(kind)%len(kinds)]
		cats := int(n%16) + 1
		nser := 1 + int(kind/8)%3
		if k == charts.BarLine && nser < 2 {
			nser = 2
		}
		def := charts.Chart{ID: "fuzz", Kind: k, Title: "Fuzz", Unit: "USD million"}
		for i := range cats {
			def.Categories = append(def.Categories, string(rune('A'+i)))
		}
		for s := range nser {
			ser := charts.Series{Name: "S", Values: make([]float64, cats), Decimals: make([]int, cats), Missing: make([]bool, cats)}
			for i := range cats {
				off := (s*cats + i) * 8
				if off+8 > len(data) {
					ser.Missing[i] = true
					continue
				}
				v := math.Float64frombits(binary.LittleEndian.Uint64(data[off:]))
				if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e15 {
					ser.Missing[i] = true
					continue
				}
				ser.Values[i] = v
				ser.Decimals[i] = int(data[off]) % 4
			}
			def.Series = append(def.Series, ser)
		}
		c, err := charts.New(def)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := charts.Render(&buf, c, charts.SVG, charts.Options{}); err != nil {
			t.Fatalf("Render: %v", err)
		}
	})
}
