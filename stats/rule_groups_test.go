package stats_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/tradedesk/report/internal/golden"
	"github.com/tradedesk/report/stats"
)

// only keeps the findings of one rule.
func only(fs []stats.Finding, rule string) []stats.Finding {
	var out []stats.Finding
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// eu27Rows are the exports of KAZ to the 27 members of the EU in a year,
// 1.0 each.
func eu27Rows(year string, skip ...string) []string {
	var rows []string
	for _, c := range []string{"AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GRC",
		"HRV", "HUN", "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "SWE"} {
		if !contains(skip, c) {
			rows = append(rows, "KAZ "+c+" exports "+year+" 1.0")
		}
	}
	return rows
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestGroups(t *testing.T) {
	tests := []struct {
		name string
		rows []string
		cfg  *stats.Config
		want []result
	}{
		{name: "EAEU equals its members", rows: []string{
			"KAZ EAEU exports 2023 10.0", "KAZ ARM exports 2023 1.1", "KAZ BLR exports 2023 2.2", "KAZ KGZ exports 2023 3.3", "KAZ RUS exports 2023 3.4",
		}},
		{name: "EAEU within rounding", rows: []string{
			"KAZ EAEU exports 2023 10", "KAZ ARM exports 2023 1.1", "KAZ BLR exports 2023 2.2", "KAZ KGZ exports 2023 3.3", "KAZ RUS exports 2023 3.8",
		}},
		{name: "EAEU differs from its members", rows: []string{
			"KAZ EAEU exports 2023 11.0", "KAZ ARM exports 2023 1.1", "KAZ BLR exports 2023 2.2", "KAZ KGZ exports 2023 3.3", "KAZ RUS exports 2023 3.4",
		}, want: []result{{"groups", stats.Error, 2, []int{3, 4, 5, 6}, 10, 11, 0.25}}},
		{name: "EAEU before Armenia and Kyrgyzstan joined", rows: []string{
			"KAZ EAEU exports 2014 5.6", "KAZ ARM exports 2014 1.1", "KAZ BLR exports 2014 2.2", "KAZ KGZ exports 2014 3.3", "KAZ RUS exports 2014 3.4",
		}},
		{name: "EAEU with Kyrgyzstan a member for part of 2015", rows: []string{
			"KAZ EAEU exports 2015 6.7", "KAZ ARM exports 2015 1.1", "KAZ BLR exports 2015 2.2", "KAZ KGZ exports 2015 3.3", "KAZ RUS exports 2015 3.4",
		}},
		{name: "partial members not more than the group", rows: []string{
			"KAZ EAEU exports 2023 10.0", "KAZ BLR exports 2023 2.2", "KAZ RUS exports 2023 3.4",
		}},
		{name: "partial members more than the group", rows: []string{
			"KAZ EAEU exports 2023 5.0", "KAZ BLR exports 2023 2.2", "KAZ RUS exports 2023 3.4",
		}, want: []result{{"groups", stats.Error, 2, []int{3, 4}, 5, 5.6, 0.15}}},
		{name: "partial sum not tested for a figure that may be negative", rows: []string{
			"KAZ EAEU fdi_in_gross 2023 1", "KAZ BLR fdi_in_gross 2023 2", "KAZ RUS fdi_in_gross 2023 3",
		}},
		{name: "the world is not less than the economies listed", rows: []string{
			"KAZ WLD exports 2023 100", "KAZ ARM exports 2023 30", "KAZ CHN exports 2023 60",
		}},
		{name: "Kosovo is an economy of the world", rows: []string{
			"KAZ WLD exports 2023 80", "KAZ XKX exports 2023 30", "KAZ CHN exports 2023 60",
		}, want: []result{{"groups", stats.Error, 2, []int{3, 4}, 80, 90, 1.5}}},
		{name: "a complete world equals the economies listed", rows: []string{
			"KAZ WLD exports 2023 90", "KAZ ARM exports 2023 30", "KAZ CHN exports 2023 60",
		}, cfg: &stats.Config{Groups: []stats.Group{{Code: "WLD", World: true, Complete: true}}}},
		{name: "a complete world more than the economies listed", rows: []string{
			"KAZ WLD exports 2023 100", "KAZ ARM exports 2023 30", "KAZ CHN exports 2023 60",
		}, cfg: &stats.Config{Groups: []stats.Group{{Code: "WLD", World: true, Complete: true}}},
			want: []result{{"groups", stats.Error, 2, []int{3, 4}, 90, 100, 1.5}}},
		{name: "a complete group with a member without a row", rows: []string{
			"KAZ CIS exports 2023 5", "KAZ KGZ exports 2023 5",
		}, cfg: &stats.Config{Groups: []stats.Group{{Code: "CIS", Complete: true, Members: []stats.Membership{{Code: "KGZ"}, {Code: "TJK"}}}}}},
		{name: "the world's rows in the order of their lines, whatever their columns", rows: []string{
			"KAZ WLD exports 2023 80", `"KAZ" "ARM" exports 2023 30`, "KAZ CHN exports 2023 60",
		}, want: []result{{"groups", stats.Error, 2, []int{3, 4}, 80, 90, 1.5}}},
		{name: "the world less than the economies listed", rows: []string{
			"KAZ WLD exports 2023 80", "KAZ ARM exports 2023 30", "KAZ CHN exports 2023 60", "KAZ EAEU exports 2023 40",
		}, want: []result{{"groups", stats.Error, 2, []int{3, 4}, 80, 90, 1.5}}},
		{name: "the world on the reporter side less than the economies listed", rows: []string{
			"WLD KAZ imports 2023 50", "ARM KAZ imports 2023 30", "CHN KAZ imports 2023 60",
		}, want: []result{{"groups", stats.Error, 2, []int{3, 4}, 50, 90, 1.5}}},
		{name: "the world on both sides", rows: []string{
			"KAZ WLD exports 2023 80", "KAZ ARM exports 2023 30", "KAZ CHN exports 2023 60",
			"WLD KAZ imports 2023 70", "ARM KAZ imports 2023 30", "RUS KAZ imports 2023 20", "CHN KAZ imports 2023 25",
		}, want: []result{{"groups", stats.Error, 2, []int{3, 4}, 80, 90, 1.5}, {"groups", stats.Error, 5, []int{6, 7, 8}, 70, 75, 2}}},
		{name: "the world's members are of its source", rows: []string{
			"WLD KAZ imports 2023 50|USD million|WTO", "WLD KAZ imports 2023 70", "ARM KAZ imports 2023 30", "CHN KAZ imports 2023 60",
		}, want: []result{{"groups", stats.Error, 3, []int{4, 5}, 70, 90, 1.5}}},
		{name: "a group on the reporter side", rows: []string{
			"EU27 KAZ exports 2023 27.0", "AUT KAZ exports 2023 13.0", "DEU KAZ exports 2023 13.0",
		}},
		{name: "a group on the reporter side less than its members", rows: []string{
			"EU27 KAZ exports 2023 20.0", "AUT KAZ exports 2023 13.0", "DEU KAZ exports 2023 13.0",
		}, want: []result{{"groups", stats.Error, 2, []int{3, 4}, 20, 26, 0.15}}},
		{name: "the EU as it stood counts the United Kingdom until January 2020", rows: append(eu27Rows("2019"),
			"KAZ EUU exports 2019 30.0", "KAZ GBR exports 2019 3.0")},
		{name: "the EU as it stood without the United Kingdom after 2020", rows: append(eu27Rows("2021"),
			"KAZ EUU exports 2021 30.0", "KAZ GBR exports 2021 3.0"),
			want: []result{{"groups", stats.Error, 29, []int{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30}, 27, 30, 1.4}}},
		{name: "2020 with or without the United Kingdom", rows: append(eu27Rows("2020"),
			"KAZ EUU exports 2020 27.3", "KAZ GBR exports 2020 3.0")},
		{name: "a user group replaces a default one", rows: []string{"KAZ CIS exports 2023 6", "KAZ KGZ exports 2023 2", "KAZ TJK exports 2023 2"},
			cfg:  &stats.Config{Groups: []stats.Group{{Code: "CIS", Members: []stats.Membership{{Code: "KGZ"}, {Code: "TJK"}}}}},
			want: []result{{"groups", stats.Error, 2, []int{3, 4}, 4, 6, 1.5}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ds := loadRows(t, tc.rows...)
			var before []stats.Group
			if tc.cfg != nil {
				before = append(before, tc.cfg.Groups...)
			}
			got := results(only(stats.Check(ds, tc.cfg), "groups"))
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("Check mismatch (-want +got):\n%s", diff)
			}
			if tc.cfg != nil && !cmp.Equal(before, tc.cfg.Groups, cmp.AllowUnexported(stats.Period{})) {
				t.Errorf("Check modified Config.Groups")
			}
		})
	}
}

// TestGroupsKazakhstanEU checks the Bureau's own EU group of 2021, which
// still counts the United Kingdom: the finding must name it.
func TestGroupsKazakhstanEU(t *testing.T) {
	ds, err := stats.LoadFile("testdata/groups/kz_2021_exports.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, f := range stats.Check(ds, nil) {
		b.WriteString(f.Text() + "\n")
	}
	golden.Check(t, "groups/kz_2021_exports.golden", b.Bytes())
}
