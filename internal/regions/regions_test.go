package regions

import (
	"fmt"
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// TestNames checks the table against golang.org/x/text/language/display of
// the version in go.mod, for every region a code of two letters or three
// digits parses to, in the three languages: it fails when x/text changes
// names and the table was not generated again (go generate
// ./internal/regions).
func TestNames(t *testing.T) {
	tags := [...]language.Tag{English: language.English, Russian: language.Russian, Kazakh: language.Make("kk")}
	var codes []string
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			codes = append(codes, string([]rune{a, b}))
		}
	}
	for n := range 1000 {
		codes = append(codes, fmt.Sprintf("%03d", n))
	}
	named := 0
	for _, code := range codes {
		r, err := language.ParseRegion(code)
		if err != nil {
			continue
		}
		for lang, tag := range tags {
			want := display.Regions(tag).Name(r)
			if got := Name(r, lang); got != want {
				t.Errorf("Name(%s, %d) = %q, want %q (go generate ./internal/regions)", r, lang, got, want)
			}
		}
		if Name(r, English) != "" {
			named++
		}
	}
	if named < 250 {
		t.Errorf("%d regions named, want the 249 countries of ISO 3166-1 at least", named)
	}
}

func TestNameExamples(t *testing.T) {
	for _, c := range []struct {
		code string
		lang int
		want string
	}{
		{"KAZ", English, "Kazakhstan"},
		{"KZ", Russian, "Казахстан"},
		{"KAZ", Kazakh, "Қазақстан"},
		{"ARM", Russian, "Армения"},
		{"398", English, "Kazakhstan"}, // ISO 3166-1 numeric
		{"KAZ", 7, "Kazakhstan"},       // an unknown language is English
	} {
		r, err := language.ParseRegion(c.code)
		if err != nil {
			t.Fatalf("ParseRegion(%q): %v", c.code, err)
		}
		if got := Name(r, c.lang); got != c.want {
			t.Errorf("Name(%s, %d) = %q, want %q", c.code, c.lang, got, c.want)
		}
	}
}

func ExampleName() {
	r, _ := language.ParseRegion("ARM")
	fmt.Println(Name(r, English), Name(r, Russian))
	// Output: Armenia Армения
}
