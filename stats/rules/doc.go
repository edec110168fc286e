// Package rules reads rules files: the claims of an article and a desk's own
// rules, written as expressions over the series, together with the settings
// of the built-in consistency rules of package stats and the indicators a
// desk adds to the vocabulary.
//
// # The file
//
// A rules file is YAML. Every key is optional:
//
//	version: 1
//	indicators:                    # added to the built-in vocabulary
//	  - name: fdi_in_net
//	    kind: flow                 # flow (adds up over time) or stock
//	    negative: true             # may values be below zero?
//	    unit: USD million          # figures must be in this unit's base
//	    description: net FDI inflow from the partner
//	builtin:                       # the built-in rules of package stats
//	  sources: off                 # switch a rule off
//	  additivity: {severity: warning, tolerance: 0.1}
//	  mirror: {factor: 1.06, threshold: 25%}
//	groups:                        # partner groups of the groups rule
//	  - code: EAEU                 # replaces the built-in EAEU
//	    members: [BLR, KAZ, RUS, {code: ARM, from: 2015-01}, {code: KGZ, from: 2015-08}]
//	rules:
//	  - id: fdi-2023-doubled
//	    description: In 2023 FDI from Armenia was twice as much as in 2022
//	    severity: error            # or warning; error by default
//	    where: {reporter: KAZ, partner: ARM}
//	    assert: fdi_in_gross["2023"] == 2 * fdi_in_gross["2022"]
//	    tolerance: rounding        # or an amount (0.5) or a share (1%)
//
// A tolerance is "rounding" (the default), an absolute amount in the unit
// of the figures, or a share written with a percent sign; see
// [stats.ParseTolerance].
//
// where selects reporter–partner pairs, each a code or a list of codes:
// with both reporter and partner the rule is evaluated for each named pair,
// present in the data or not; otherwise for every pair of the data that
// matches and has at least one of the series the rule reads (when none
// does, that is a finding).
//
// where: {source: …} takes figures only from the named sources; a list is
// an order of preference, each figure taken from the first source named
// that gives it a value (source: [BNS, Customs]). A rule that names no
// source reads a figure from every source that gives it. Sources whose
// values agree within rounding, after unit conversion, are one figure:
// the interval they all allow (6 from one and 6.2 from another is 6.15 to
// 6.25). Sources that disagree are not chosen between, by the order of
// the rows or otherwise: the rule gives a finding "cannot evaluate: KAZ–ARM
// fdi_in_gross 2023 has sources that disagree, S (6) and T (9): name one
// with where: {source: …}". A figure that one source gives twice with
// values that disagree cannot be evaluated either.
//
// # Expressions
//
// An indicator's name indexed with a period is one figure of the pair:
// exports["2023"], turnover["2024-01/2024-07"], registered_entities
// ["2024-10-15"]. Expressions combine figures and numbers with + - * /,
// parentheses and the functions
//
//	sum(a, b, ...)      a + b + …
//	growth(new, old)    new / old − 1
//	share(part, whole)  part / whole
//	abs(a)              |a|
//	total(s, "period")  s["period"], or when the data lacks it the sum of
//	                    the sub-periods that exactly cover it (a flow only)
//
// and compare with == != < <= > >=, joined with && || and !. An assert
// must be true or false.
//
// Arithmetic is rounding-aware. A figure stands for every number its
// written decimals allow (6 for 5.5 to 6.5) and a number written in the
// rule is exact; every operation gives the interval of all its possible
// results ([stats.Interval]), and a comparison holds when some numbers
// that round to the figures make it true. So 6 == 2 * 3 holds, 7 == 2 * 3
// holds too (7 may be 6.5 and 3 may be 3.5), 8 == 2 * 3 fails; a != b
// holds when the two sides cannot be equal. A rule with an absolute or
// relative tolerance compares the midpoints instead, with that allowance (a
// relative one is a share of the right-hand side). Figures in units of one base are converted (USD thousand
// to USD million); figures in units of different bases never add.
//
// A rule that reads a figure that is not in the data is not passed: it
// gives a finding "cannot evaluate: KAZ–ARM fdi_in_gross 2023 is not in the
// data".
//
// # Why expr
//
// Expressions are compiled with github.com/expr-lang/expr rather than
// cel-go. Both are well kept and safe to run on untrusted input; expr is
// a single small module without the protobuf and ANTLR runtime that
// cel-go brings, and its AST patching lets the package map every operator
// and index onto interval arithmetic on its own value type, which CEL's
// fixed numeric semantics (int and double that never mix, no overloading
// of == for a custom type without declaring protobuf-backed types) would
// make awkward. Every position expr reports is turned into a line and
// column of the rules file.
//
// # Errors
//
// Problems in the file itself (invalid YAML, an unknown key, series,
// function or built-in rule, an expression that does not compile, a bad
// severity or tolerance) are *[stats.ParseError] values with the file,
// line and column, wrapping one of this package's Err sentinels. Rule
// violations are not errors: [File.Evaluate] and [File.Check] return
// them as [stats.Finding] values.
package rules
