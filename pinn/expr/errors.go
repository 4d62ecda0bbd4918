package expr

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Error is one problem found in an expression. Msg names the offending fragment and says what is
// wrong; Col locates it so that a caller reading a problem file can add the file and line.
type Error struct {
	Expr string // the whole expression as written
	Col  int    // 1-based column (in characters) where the fragment starts
	Msg  string // e.g. "unknown symbol `u_xxx`: this problem asks derivatives up to order 2"
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s (col %d of `%s`)", e.Msg, e.Col, e.Expr)
}

// ErrorList holds every problem found in one expression, in order of position. Check and Compile
// return all of them at once so that a user fixes a file in one pass.
type ErrorList []*Error

func (l ErrorList) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap lets errors.As reach the individual errors.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// errorSink collects errors for one expression, turning byte offsets into character columns.
type errorSink struct {
	src  string
	list ErrorList
}

func (s *errorSink) add(off int, format string, args ...any) {
	off = min(max(off, 0), len(s.src))
	s.list = append(s.list, &Error{
		Expr: s.src,
		Col:  utf8.RuneCountInString(s.src[:off]) + 1,
		Msg:  fmt.Sprintf(format, args...),
	})
}

func (s *errorSink) err() error {
	if len(s.list) == 0 {
		return nil
	}
	slices.SortStableFunc(s.list, func(a, b *Error) int { return a.Col - b.Col })
	return s.list
}
