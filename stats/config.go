package stats

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ToleranceKind says how a [Tolerance] bounds a difference.
type ToleranceKind uint8

// The kinds of tolerance. Rounding, the zero kind, is the default.
const (
	// Rounding lets every value stand for the interval its written
	// decimals allow; an identity holds when the intervals meet.
	Rounding ToleranceKind = iota
	// Absolute allows |actual − expected| ≤ Amount, in the unit of the
	// checked figure.
	Absolute
	// Relative allows |actual − expected| ≤ Amount × |expected|.
	Relative
)

// Tolerance is how far a rule lets a figure stray from what the others
// imply. The zero Tolerance is rounding-aware.
type Tolerance struct {
	Kind   ToleranceKind
	Amount float64
}

// ParseTolerance reads "rounding", an absolute amount ("0.5") or a
// relative one ("1%").
func ParseTolerance(s string) (Tolerance, error) {
	t := strings.TrimSpace(s)
	if t == "" || strings.EqualFold(t, "rounding") {
		return Tolerance{}, nil
	}
	rel := strings.HasSuffix(t, "%")
	x, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(t, "%")), 64)
	if err != nil || x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return Tolerance{}, fmt.Errorf("invalid tolerance %q: use rounding, an amount such as 0.5, or a share such as 1%%", s)
	}
	if rel {
		return Tolerance{Kind: Relative, Amount: x / 100}, nil
	}
	return Tolerance{Kind: Absolute, Amount: x}, nil
}

// String formats t as ParseTolerance reads it.
func (t Tolerance) String() string {
	switch t.Kind {
	case Absolute:
		return strconv.FormatFloat(t.Amount, 'f', -1, 64)
	case Relative:
		return strconv.FormatFloat(t.Amount*100, 'f', -1, 64) + "%"
	}
	return "rounding"
}

// Equal tests the equation actual = expected. diff is the difference of the
// midpoints, tol the largest difference allowed.
func (t Tolerance) Equal(expected, actual Interval) (diff, tol float64, ok bool) {
	diff, tol = t.gap(actual, expected)
	// The allowance for binary rounding is only worked out for the few
	// differences beyond tol.
	d := math.Abs(diff)
	return diff, tol, d <= tol || d <= tol+noise(resolution(tol, expected, actual), expected.Mid(), actual.Mid())
}

// AtMost tests part ≤ whole. diff is part − whole at the midpoints, tol the
// excess allowed.
func (t Tolerance) AtMost(part, whole Interval) (diff, tol float64, ok bool) {
	diff, tol = t.gap(part, whole)
	return diff, tol, diff <= tol || diff <= tol+noise(resolution(tol, part, whole), part.Mid(), whole.Mid())
}

// gap returns a − ref at the midpoints and the tolerance for it: the sum of
// the radii under rounding, else the absolute amount or the share of ref.
func (t Tolerance) gap(a, ref Interval) (diff, tol float64) {
	diff = a.Mid() - ref.Mid()
	switch t.Kind {
	case Absolute:
		tol = t.Amount
	case Relative:
		tol = t.Amount * math.Abs(ref.Mid())
	default:
		tol = a.Radius() + ref.Radius()
	}
	return diff, tol
}

// RuleConfig changes a built-in rule: switch it off, re-grade it, or give
// it a tolerance other than rounding.
type RuleConfig struct {
	Disabled  bool
	Severity  Severity // 0 keeps the rule's default
	Tolerance Tolerance
}

// Config is what [Check] is told about the rules. The zero Config runs every
// built-in rule with its defaults.
type Config struct {
	// Rules holds per-rule settings by rule id.
	Rules map[string]RuleConfig
	// Vocabulary is the set of known indicators; nil means the built-in
	// ones.
	Vocabulary *Vocabulary
	// MirrorFactor is what B's imports from A are expected to be as a
	// multiple of A's exports to B: imports are valued CIF and exports FOB.
	// 0 means [DefaultMirrorFactor] (see Config.Mirror).
	MirrorFactor float64
	// MirrorThreshold is the relative gap above which the mirror rule
	// warns; 0 means [DefaultMirrorThreshold].
	MirrorThreshold float64
	// Groups declares partner groups for the groups rule, in addition to
	// [DefaultGroups]; a group with the code of a default one replaces it.
	// Check does not modify it.
	Groups []Group
	// MaxFindings, when above 0, bounds the findings of each rule that are
	// listed: the first ones in the order of [SortFindings]. The others are
	// counted in one last finding of the rule (see [Finding.Omitted]), so
	// that a file with a million mirror gaps neither fills memory nor
	// buries the errors.
	MaxFindings int
}

func (c *Config) rule(id string) RuleConfig {
	if c == nil || c.Rules == nil {
		return RuleConfig{}
	}
	return c.Rules[id]
}

// The mirror rule's factor and threshold when a Config sets none: the IMF
// Direction of Trade Statistics' CIF/FOB factor, and a gap of a quarter.
const (
	DefaultMirrorFactor    = 1.06
	DefaultMirrorThreshold = 0.25
)

// Mirror returns the mirror rule's factor and threshold under c: its own,
// or the defaults where it sets none (c may be nil).
func (c *Config) Mirror() (factor, threshold float64) {
	factor, threshold = DefaultMirrorFactor, DefaultMirrorThreshold
	if c != nil && c.MirrorFactor > 0 {
		factor = c.MirrorFactor
	}
	if c != nil && c.MirrorThreshold > 0 {
		threshold = c.MirrorThreshold
	}
	return factor, threshold
}
