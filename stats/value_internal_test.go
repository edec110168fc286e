package stats

import "testing"

// TestValueAppendText checks that appendText appends what String returns,
// after what is already there.
func TestValueAppendText(t *testing.T) {
	for _, v := range []Value{
		{Num: 33.3, Decimals: 1, Valid: true},
		{Num: -0.004, Decimals: 3, Valid: true},
		{Num: 1500, Decimals: -2, Valid: true},
		{Num: 12.5, Decimals: 0, Valid: true},
		{Num: 7, Decimals: 2},
	} {
		if got, want := string(v.appendText([]byte("x="))), "x="+v.String(); got != want {
			t.Errorf("%#v.appendText = %q; want %q", v, got, want)
		}
	}
}
