package ingest

import "strings"

// NormalizeUnit writes a unit as the tidy format does, currency first and
// scale after: "thousand USD", "тыс. долларов США" and "Millions of US
// dollars" become "USD thousand", "USD thousand" and "USD million". A unit
// it does not recognise is returned trimmed, as written.
func NormalizeUnit(u string) string {
	var scale, base []string
	words := strings.Fields(strings.ToLower(strings.NewReplacer("(", " ", ")", " ", ",", " ").Replace(u)))
	for i := 0; i < len(words); i++ {
		w := strings.TrimSuffix(words[i], ".")
		next := ""
		if i+1 < len(words) {
			next = strings.TrimSuffix(words[i+1], ".")
		}
		switch {
		case unitScaleWords[w] != "":
			scale = append(scale, unitScaleWords[w])
		case w == "of":
		case (w == "us" || w == "u.s" || w == "us$") && strings.HasPrefix(next, "dollar"):
			base = append(base, "USD")
			i++
		case (strings.HasPrefix(w, "доллар")) && (next == "сша"):
			base = append(base, "USD")
			i++
		case unitCurrencyWords[w] != "":
			base = append(base, unitCurrencyWords[w])
		default:
			return strings.TrimSpace(u)
		}
	}
	if len(base) != 1 || len(scale) > 1 {
		return strings.TrimSpace(u)
	}
	return strings.Join(append(base, scale...), " ")
}

var unitScaleWords = map[string]string{
	"thousand": "thousand", "thousands": "thousand", "тыс": "thousand", "тысяч": "thousand", "th": "thousand",
	"million": "million", "millions": "million", "млн": "million", "mn": "million", "mln": "million",
	"billion": "billion", "billions": "billion", "млрд": "billion", "bn": "billion",
}

var unitCurrencyWords = map[string]string{
	"usd": "USD", "dollars": "USD", "dollar": "USD", "$": "USD",
	"eur": "EUR", "euro": "EUR", "euros": "EUR", "евро": "EUR", "€": "EUR",
	"rub": "RUB", "kzt": "KZT", "amd": "AMD", "тенге": "KZT", "драм": "AMD",
	"percent": "percent", "%": "percent", "count": "count",
}
