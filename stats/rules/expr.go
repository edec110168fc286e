package rules

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/tradedesk/report/stats"
)

// series is what an indicator's name stands for in an expression: indexing
// it with a period gives the figure of the pair being evaluated.
type series struct {
	ev   *evaluation
	name string
}

// Internal function names the patcher maps operators and indexing onto.
// They start with an underscore so that no indicator can take them.
const (
	fnAt  = "_at"
	fnAdd = "_add"
	fnSub = "_sub"
	fnMul = "_mul"
	fnDiv = "_div"
	fnNeg = "_neg"
	fnCmp = "_cmp"
)

var arithmetic = map[string]string{"+": fnAdd, "-": fnSub, "*": fnMul, "/": fnDiv}

var comparisons = map[string]bool{"==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true}

// logical are the operators that join the truths of comparisons.
var logical = map[string]bool{"and": true, "or": true, "&&": true, "||": true}

// userFunctions are the functions a rule may call, with their signatures
// as the documentation shows them.
var userFunctions = map[string]string{
	"sum":    "sum(a, b, ...): a + b + …",
	"growth": "growth(new, old): new / old − 1",
	"share":  "share(part, whole): part / whole",
	"abs":    "abs(a): |a|",
	"total":  "total(series, period): the figure, or the sum of the sub-periods that cover it",
}

// numeric are the types of a side of a comparison.
var numeric = map[reflect.Type]bool{
	reflect.TypeOf(quantity{}): true, reflect.TypeOf(0): true, reflect.TypeOf(0.0): true,
}

// functionOptions declares the functions, with their types so that the
// checker can tell a comparison (bool) from arithmetic (a quantity).
func functionOptions() []expr.Option {
	q2 := new(func(any, any) quantity)
	return []expr.Option{
		expr.DisableAllBuiltins(),
		expr.Function(fnAt, callAt, new(func(*series, string) quantity)),
		expr.Function(fnAdd, binary(add), q2),
		expr.Function(fnSub, binary(sub), q2),
		expr.Function(fnMul, binary(mul), q2),
		expr.Function(fnDiv, binary(div), q2),
		expr.Function(fnNeg, func(p ...any) (any, error) {
			a, err := toQuantity(p[0])
			return neg(a), err
		}, new(func(any) quantity)),
		expr.Function(fnCmp, callCompare, new(func(string, any, any, string) bool)),
		expr.Function("sum", callSum, new(func(...any) quantity)),
		expr.Function("growth", func(p ...any) (any, error) {
			q, err := binary(div)(p...)
			if err != nil {
				return nil, err
			}
			return sub(q.(quantity), exact(1))
		}, q2),
		expr.Function("share", binary(div), q2),
		expr.Function("total", func(p ...any) (any, error) {
			s := p[0].(*series)
			return s.ev.total(s.name, p[1].(string))
		}, new(func(*series, string) quantity)),
		expr.Function("abs", func(p ...any) (any, error) {
			a, err := toQuantity(p[0])
			if err != nil {
				return nil, err
			}
			if a.iv.Hi < 0 {
				return neg(a), nil
			}
			if a.iv.Lo < 0 {
				a.iv = stats.Interval{Lo: 0, Hi: max(-a.iv.Lo, a.iv.Hi)}
			}
			return a, nil
		}, new(func(any) quantity)),
	}
}

func binary(op func(a, b quantity) (quantity, error)) func(p ...any) (any, error) {
	return func(p ...any) (any, error) {
		a, err := toQuantity(p[0])
		if err != nil {
			return nil, err
		}
		b, err := toQuantity(p[1])
		if err != nil {
			return nil, err
		}
		return op(a, b)
	}
}

func callSum(p ...any) (any, error) {
	total := exact(0)
	var flat []any
	for _, x := range p {
		if xs, ok := x.([]any); ok {
			flat = append(flat, xs...)
		} else {
			flat = append(flat, x)
		}
	}
	for _, x := range flat {
		q, err := toQuantity(x)
		if err != nil {
			return nil, err
		}
		if total, err = add(total, q); err != nil {
			return nil, err
		}
	}
	return total, nil
}

func callAt(p ...any) (any, error) {
	s := p[0].(*series)
	return s.ev.at(s.name, p[1].(string))
}

func callCompare(p ...any) (any, error) {
	a, err := toQuantity(p[1])
	if err != nil {
		return nil, err
	}
	b, err := toQuantity(p[2])
	if err != nil {
		return nil, err
	}
	tol, err := stats.ParseTolerance(p[3].(string))
	if err != nil {
		return nil, err
	}
	c, err := compare(p[0].(string), a, b, tol)
	return c.ok, err
}

// patcher rewrites the parsed expression so that it computes on intervals:
// series["period"] becomes _at(series, "period"), a + b becomes _add(a, b),
// a == b becomes _cmp("==", a, b, tolerance). It also records the first
// problem it finds, with its place, in words a rules-file author
// understands better than the checker's.
type patcher struct {
	voc       *stats.Vocabulary
	tolerance string
	err       *exprError
}

func (p *patcher) fail(n ast.Node, kind error, format string, args ...any) {
	if p.err == nil {
		p.err = &exprError{offset: n.Location().From, kind: kind, msg: fmt.Sprintf(format, args...)}
	}
}

func call(name string, args ...ast.Node) *ast.CallNode {
	return &ast.CallNode{Callee: &ast.IdentifierNode{Value: name}, Arguments: args}
}

// Visit implements ast.Visitor. Walk visits the children of a node before
// the node, so operands are already rewritten when their operator is.
func (p *patcher) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		if strings.HasPrefix(n.Value, "_") || userFunctions[n.Value] != "" {
			return
		}
		if _, ok := p.voc.Lookup(n.Value); !ok {
			msg := fmt.Sprintf("unknown series %q", n.Value)
			if c, near := p.voc.Closest(n.Value); near {
				msg += fmt.Sprintf(": did you mean %q?", c)
			} else {
				msg += "; declare it under indicators"
			}
			p.fail(n, ErrUnknownSeries, "%s", msg)
		}
	case *ast.MemberNode:
		id, ok := n.Node.(*ast.IdentifierNode)
		if !ok || strings.HasPrefix(id.Value, "_") {
			return
		}
		switch prop := n.Property.(type) {
		case *ast.StringNode:
			if _, err := stats.ParsePeriod(prop.Value); err != nil {
				p.fail(n.Property, ErrExpression, "%s[%q]: %v", id.Value, prop.Value, err)
			}
		case *ast.IntegerNode:
			p.fail(n.Property, ErrExpression, "write the period in quotes: %s[\"%d\"]", id.Value, prop.Value)
		}
		ast.Patch(node, call(fnAt, n.Node, n.Property))
	case *ast.BinaryNode:
		fn, ok := arithmetic[n.Operator]
		switch {
		case !ok && !comparisons[n.Operator] && !logical[n.Operator]:
			// expr's own operators (**, %, in, matches, ??…) do not
			// compute on figures, which are intervals: they would fail
			// on every pair, as a finding rather than as the rule's error.
			p.fail(n, ErrExpression, "operator %s does not apply to figures: a rule computes with + - * / and compares with == != < <= > >=", n.Operator)
			return
		case logical[n.Operator]:
			return
		}
		for _, side := range []ast.Node{n.Left, n.Right} {
			if what := notFigure(side); what != "" {
				p.fail(side, ErrExpression, "%s is not a figure: write a series and its period, as exports[\"2023\"], or a number", what)
				return
			}
		}
		if ok {
			ast.Patch(node, call(fn, n.Left, n.Right))
		} else {
			ast.Patch(node, call(fnCmp, &ast.StringNode{Value: n.Operator}, n.Left, n.Right, &ast.StringNode{Value: p.tolerance}))
		}
	case *ast.UnaryNode:
		if n.Operator == "-" {
			ast.Patch(node, call(fnNeg, n.Node))
		}
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && id.Value == "total" && len(n.Arguments) == 2 {
			if s, ok := n.Arguments[1].(*ast.StringNode); ok {
				if _, err := stats.ParsePeriod(s.Value); err != nil {
					p.fail(s, ErrExpression, "total(…, %q): %v", s.Value, err)
				}
			}
		}
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && !strings.HasPrefix(id.Value, "_") && userFunctions[id.Value] == "" {
			if p.err != nil && p.err.offset == id.Location().From {
				p.err = nil // the callee is not a series but a function
			}
			p.fail(n, ErrExpression, "unknown function %s; use %s", id.Value, strings.Join(sortedValues(userFunctions), ", "))
		}
	}
}

// notFigure says what n, an operand of arithmetic or a comparison whose
// own operands are rewritten already, is when it cannot be a figure: nil,
// text, a truth, a list, a map or a comparison, which expr would take and
// the evaluation refuse on every pair; "" when it may be one.
func notFigure(n ast.Node) string {
	switch n := n.(type) {
	case *ast.NilNode:
		return "nil"
	case *ast.StringNode:
		return fmt.Sprintf("the text %q", n.Value)
	case *ast.BoolNode:
		return fmt.Sprint(n.Value)
	case *ast.ArrayNode:
		return "a list"
	case *ast.MapNode:
		return "a map"
	case *ast.UnaryNode:
		if n.Operator == "not" || n.Operator == "!" {
			return "a truth (" + n.Operator + ")"
		}
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && id.Value == fnCmp {
			return "a comparison, true or false,"
		}
	case *ast.BinaryNode:
		if logical[n.Operator] {
			return "a truth (" + n.Operator + ")"
		}
	}
	return ""
}

func sortedValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// bareSeries finds a series name that is not indexed with a period, such as
// exports in exports + 1: it has no value of its own.
type bareSeries struct {
	voc     *stats.Vocabulary
	indexed map[ast.Node]bool
	bare    []*ast.IdentifierNode
}

// Visit implements ast.Visitor; children come before their parents, so a
// name is judged when the walk is done.
func (b *bareSeries) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		if _, ok := b.voc.Lookup(n.Value); ok {
			b.bare = append(b.bare, n)
		}
	case *ast.MemberNode:
		b.indexed[n.Node] = true
	case *ast.CallNode:
		// total(series, period) takes the series itself.
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && id.Value == "total" && len(n.Arguments) > 0 {
			b.indexed[n.Arguments[0]] = true
		}
	}
}

func (b *bareSeries) first() *ast.IdentifierNode {
	for _, n := range b.bare {
		if !b.indexed[n] {
			return n
		}
	}
	return nil
}

// exprError is a problem in an expression at a rune offset into it.
type exprError struct {
	offset int
	kind   error
	msg    string
}

// program is a compiled assert. When the assert is one comparison, lhs and
// rhs compute its two sides, so that a failure can say by how much.
type program struct {
	full     *vm.Program
	op       string
	lhs, rhs *vm.Program
	lhsText  string
	rhsText  string
	// series are the indicators the assert reads, sorted.
	series []string
}

// compileEnv is the environment the checker sees: every known indicator is
// a series.
func compileEnv(voc *stats.Vocabulary) map[string]any {
	env := map[string]any{}
	for _, n := range voc.Names() {
		env[n] = (*series)(nil)
	}
	return env
}

// compile compiles an assert. The error is an *exprError.
func compile(src string, voc *stats.Vocabulary, tol stats.Tolerance) (*program, *exprError) {
	env := compileEnv(voc)
	p := &patcher{voc: voc, tolerance: tol.String()}
	opts := append(functionOptions(), expr.Env(env), expr.AsBool(), expr.Patch(p))
	full, err := expr.Compile(src, opts...)
	if p.err != nil {
		return nil, p.err
	}
	if err != nil {
		return nil, toExprError(err)
	}
	prog := &program{full: full}
	// Parsed as compiled, with the functions of the rules: without them,
	// sum of three figures is expr's own sum and does not parse, and the
	// series the assert reads would go unlisted.
	config := conf.CreateNew()
	for _, opt := range opts {
		opt(config)
	}
	tree, err := parser.ParseWithConfig(src, config)
	if err != nil {
		return nil, toExprError(err)
	}
	b := &bareSeries{voc: voc, indexed: map[ast.Node]bool{}}
	ast.Walk(&tree.Node, b)
	if n := b.first(); n != nil {
		return nil, &exprError{offset: n.Location().From, kind: ErrExpression,
			msg: fmt.Sprintf("series %s needs a period in brackets, as in %s[\"2023\"]", n.Value, n.Value)}
	}
	for _, n := range b.bare {
		if !slices.Contains(prog.series, n.Value) {
			prog.series = append(prog.series, n.Value)
		}
	}
	slices.Sort(prog.series)
	root, ok := tree.Node.(*ast.BinaryNode)
	if !ok || !comparisons[root.Operator] {
		return prog, nil
	}
	side := func(n ast.Node) (*vm.Program, string) {
		text := n.String()
		sp := &patcher{voc: voc, tolerance: tol.String()}
		pr, err := expr.Compile(text, append(functionOptions(), expr.Env(env), expr.Patch(sp))...)
		if err != nil || sp.err != nil || !numeric[pr.Node().Type()] {
			return nil, ""
		}
		return pr, text
	}
	prog.lhs, prog.lhsText = side(root.Left)
	prog.rhs, prog.rhsText = side(root.Right)
	if prog.lhs == nil || prog.rhs == nil {
		prog.lhs, prog.rhs = nil, nil
	} else {
		prog.op = root.Operator
	}
	return prog, nil
}

func toExprError(err error) *exprError {
	const notBool = "an assert must be true or false: compare two sides with ==, !=, <, <=, > or >="
	var fe *file.Error
	if errors.As(err, &fe) {
		msg := fe.Message
		if strings.Contains(msg, "expected bool") {
			msg = notBool
		}
		if strings.Contains(msg, `Operator("=")`) {
			msg += ": compare with ==, not ="
		}
		msg = strings.ReplaceAll(msg, "rules.quantity", "number")
		msg = strings.ReplaceAll(msg, "*rules.series", "series")
		return &exprError{offset: fe.From, kind: ErrExpression, msg: msg}
	}
	if strings.Contains(err.Error(), "expected bool") {
		return &exprError{kind: ErrExpression, msg: notBool}
	}
	return &exprError{kind: ErrExpression, msg: err.Error()}
}
