package stats_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/tradedesk/report/stats"
)

func TestCompleteness(t *testing.T) {
	eight := []string{"1.0", "1.0", "1.0", "1.0", "1.0", "1.0", "1.0", "1.0"}
	tests := []struct {
		name string
		rows []string
		want []result
	}{
		{name: "all twelve months", rows: append(months(2023, twelve...), "KAZ ARM exports 2023 83.1")},
		{name: "a partial year labelled as the year", rows: append(months(2024, eight...), "KAZ ARM exports 2024 8.0"),
			want: []result{{"completeness", stats.Warning, 10, []int{2, 3, 4, 5, 6, 7, 8, 9}, 8, 8, 0.45}}},
		{name: "a year with months missing", rows: append(months(2024, eight...), "KAZ ARM exports 2024 20.0"),
			want: []result{{"completeness", stats.Warning, 10, []int{2, 3, 4, 5, 6, 7, 8, 9}, 0, 0, 0}}},
		{name: "a quarter with a month missing", rows: append(months(2024, "1.0", "1.0"), "KAZ ARM exports 2024-Q1 2.0"),
			want: []result{{"completeness", stats.Warning, 4, []int{2, 3}, 2, 2, 0.15}}},
		{name: "months with a gap inside", rows: []string{
			"KAZ ARM exports 2023-01 1.0", "KAZ ARM exports 2023-02 1.0", "KAZ ARM exports 2023-04 1.0",
		}, want: []result{{"completeness", stats.Warning, 2, []int{3, 4}, 0, 0, 0}}},
		{name: "months that stop are no gap", rows: months(2024, eight...)},
		{name: "months that start late are no gap", rows: []string{"KAZ ARM exports 2023-11 1.0", "KAZ ARM exports 2023-12 1.0", "KAZ ARM exports 2024-01 1.0"}},
		{name: "stocks are not summed", rows: []string{"KAZ ARM registered_entities 2024-01 1|count", "KAZ ARM registered_entities 2024-03 1|count"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ds := loadRows(t, tc.rows...)
			got := results(only(stats.Check(ds, nil), "completeness"))
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("Check mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
