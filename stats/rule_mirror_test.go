package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestMirrorMessage checks mirrorMessage against the fmt.Sprintf it
// stands for, on gaps of both signs and around zero, values of any
// precision and sources that need quoting.
func TestMirrorMessage(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	sources := []string{"BNS", "IMF DOTS", `Bureau "National", KAZ`, "Росстат", "tab\there", ""}
	units := []string{"USD million", "USD thousand", "EUR"}
	gaps := []float64{0.26, -0.26, 0.004, -0.004, -0.0051, 0.005, 1e6, -1e6, math.Copysign(0, -1), 12.3456}
	figure := func(rep, par string) *fig {
		v := Value{Num: float64(rng.IntN(2000000)-1000000) / 100, Decimals: rng.IntN(6) - 2, Valid: true}
		unit := units[rng.IntN(len(units))]
		return &fig{seriesEntry: &seriesEntry{seriesKey: seriesKey{Key: Key{Reporter: rep, Partner: par, Indicator: "imports"}, Source: sources[rng.IntN(len(sources))]}, unit: &unit},
			num: v.Num, dec: decOf(v)}
	}
	for i := range 2000 {
		gap := gaps[i%len(gaps)]
		if i >= len(gaps) {
			gap = rng.NormFloat64()
		}
		m, x := figure("ARM", "KAZ"), figure("KAZ", "ARM")
		factor := []float64{1.06, 1, 1.1, 0.995}[rng.IntN(4)]
		want := fmt.Sprintf("mirror gap of %+.0f%%: %s imports from %s %s %s (%q), but %s reports exports to %s %s %s (%q), × %.2f CIF/FOB",
			gap*100, m.Reporter, m.Partner, m.Value(), m.Unit(), m.Source, x.Reporter, x.Partner, x.Value(), x.Unit(), x.Source, factor)
		if got := mirrorMessage(gap, m, x, factor); got != want {
			t.Fatalf("mirrorMessage:\n%s\nwant\n%s", got, want)
		}
	}
}
