package stats

import "testing"

// TestAcrossYears checks which periods end in a later year than they
// start in: intervals of every kind across a year's turn do, single units
// and intervals within a year do not.
func TestAcrossYears(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"2024-12", false},
		{"2024", false},
		{"2024-12-31", false},
		{"2024-01/2024-12", false},
		{"2024-Q1/2024-Q4", false},
		{"2024-12-30/2024-12-31", false},
		{"2023-12/2024-02", true},
		{"2023-Q4/2024-Q1", true},
		{"2005/2024", true},
		{"2023-12-31/2024-01-01", true},
	} {
		p, err := ParsePeriod(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.acrossYears(); got != tc.want {
			t.Errorf("%s: acrossYears %v, want %v", tc.in, got, tc.want)
		}
	}
}
