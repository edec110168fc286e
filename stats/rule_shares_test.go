package stats_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/tradedesk/report/internal/golden"
	"github.com/tradedesk/report/stats"
)

// shareVocabulary declares the share indicators, as a rules file does.
func shareVocabulary() *stats.Vocabulary {
	return stats.NewVocabulary(
		stats.IndicatorInfo{Name: "exports_share", Description: "share of exports"},
		stats.IndicatorInfo{Name: "imports_share", Description: "share of imports"},
	)
}

func loadShares(t *testing.T, rows string) *stats.Dataset {
	t.Helper()
	ds, err := stats.Load(bytes.NewBufferString("reporter,partner,indicator,period,value,unit,source\n"+rows), "t.csv",
		stats.LoadOptions{Vocabulary: shareVocabulary()})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Problems) > 0 {
		t.Fatal(ds.Problems)
	}
	return ds
}

func TestShares(t *testing.T) {
	const base = "KAZ,WLD,exports,2019,58065588.7,USD thousand,BNS\nKAZ,ARM,exports,2019,4420.60248,USD thousand,BNS\n"
	tests := []struct {
		name string
		rows string
		want []result
	}{
		{name: "published share holds", rows: base + "KAZ,ARM,exports_share,2019,0.00761,percent,BNS\n"},
		{name: "share at the edge of rounding", rows: base + "KAZ,ARM,exports_share,2019,0.0076,percent,BNS\n"},
		{name: "wrong share", rows: base + "KAZ,ARM,exports_share,2019,0.00771,percent,BNS\n",
			want: []result{{"shares", stats.Error, 4, []int{3, 2}, 0.0076131, 0.00771, 0.0000050}}},
		{name: "share in the unit of the total", rows: "KAZ,WLD,exports,2019,58065.5887,USD million,BNS\nKAZ,ARM,exports,2019,4420.60248,USD thousand,BNS\n" +
			"KAZ,ARM,exports_share,2019,0.00761,percent,BNS\n"},
		{name: "share of another source is not compared", rows: base + "KAZ,ARM,exports_share,2019,0.5,percent,other\n"},
		{name: "no total, no check", rows: "KAZ,ARM,exports,2019,4420.60248,USD thousand,BNS\nKAZ,ARM,exports_share,2019,0.5,percent,BNS\n"},
		{name: "a zero total is not divided by", rows: "KAZ,WLD,exports,2019,0,USD thousand,BNS\nKAZ,ARM,exports,2019,0,USD thousand,BNS\nKAZ,ARM,exports_share,2019,0.5,percent,BNS\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ds := loadShares(t, tc.rows)
			got := results(only(stats.Check(ds, &stats.Config{Vocabulary: shareVocabulary()}), "shares"))
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateApprox(1e-4, 1e-9)); diff != "" {
				t.Errorf("Check mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSharesKazakhstan checks the shares of the Bureau's 2019 table: all
// hold within their rounding to five decimals.
func TestSharesKazakhstan(t *testing.T) {
	ds, err := stats.LoadFile("testdata/shares/kz_2019.csv", stats.LoadOptions{Vocabulary: shareVocabulary()})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, f := range stats.Check(ds, &stats.Config{Vocabulary: shareVocabulary()}) {
		b.WriteString(f.Text() + "\n")
	}
	golden.Check(t, "shares/kz_2019.golden", b.Bytes())
}

// TestShareMessageUnits checks that a share's message names the units of
// a part and a total written in different ones.
func TestShareMessageUnits(t *testing.T) {
	ds := loadShares(t, "KAZ,WLD,exports,2019,58065.5887,USD million,BNS\nKAZ,ARM,exports,2019,4420.60248,USD thousand,BNS\nKAZ,ARM,exports_share,2019,0.00771,percent,BNS\n")
	fs := only(stats.Check(ds, &stats.Config{Vocabulary: shareVocabulary()}), "shares")
	const want = "100 × exports 4420.60248 USD thousand ÷ WLD 58065.5887 USD million = "
	if len(fs) != 1 || !strings.Contains(fs[0].Message, want) {
		t.Errorf("findings %v; want one saying %q", fs, want)
	}
}
