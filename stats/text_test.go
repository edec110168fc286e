package stats_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/tradedesk/report/stats"
)

func TestControlAt(t *testing.T) {
	tests := []struct {
		s    string
		want int
		msg  string // of ControlError, when want ≥ 0
	}{
		{"", -1, ""},
		{"USD million", -1, ""},
		{"a\tb\nc\rd", -1, ""},
		{"é Ж 中 \u007f \u0085 \ufffd \ufffc", -1, ""},
		{"\x00", 0, "character 1 of the field is a control character (U+0000)"},
		{"ab\x1b[0m", 2, "character 3 of the field is a control character (U+001B)"},
		{"Жж\x01", 4, "character 3 of the field is a control character (U+0001)"},
		{"BNS\ufffe", 3, "character 4 of the field is a noncharacter (U+FFFE)"},
		{"é\uffff", 2, "character 2 of the field is a noncharacter (U+FFFF)"},
		{"\xef\xbf", -1, ""}, // cut short: not the noncharacter
	}
	for _, tc := range tests {
		if got := stats.ControlAt(tc.s); got != tc.want {
			t.Errorf("ControlAt(%q) = %d, want %d", tc.s, got, tc.want)
		}
		if got := stats.ControlAt([]byte(tc.s)); got != tc.want {
			t.Errorf("ControlAt([]byte(%q)) = %d, want %d", tc.s, got, tc.want)
		}
		if tc.want < 0 {
			continue
		}
		err := stats.ControlError(tc.s, tc.want)
		if !errors.Is(err, stats.ErrControl) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("ControlError(%q) = %v, want %q", tc.s, err, tc.msg)
		}
	}
}
