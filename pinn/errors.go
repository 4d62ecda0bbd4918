package pinn

import (
	"errors"
	"fmt"
	"strings"

	"github.com/inrstudio/studio/pinn/expr"
)

// ProblemError lists everything wrong with a problem file, one message per line, each starting
// with the file and line ("burgers.toml:14: equation 1: unknown symbol `u_xxx`: …"), so that a
// user fixes the file in one pass.
type ProblemError struct {
	Messages []string
}

func (e *ProblemError) Error() string { return strings.Join(e.Messages, "\n") }

// issues collects the messages of one file.
type issues struct {
	name string
	msgs []string
}

func (s *issues) addf(line int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		s.msgs = append(s.msgs, fmt.Sprintf("%s:%d: %s", s.name, line, msg))
		return
	}
	s.msgs = append(s.msgs, fmt.Sprintf("%s: %s", s.name, msg))
}

// addExpr reports an expression error under context ("equation 1"); an expr.ErrorList gives one
// message per problem it found.
func (s *issues) addExpr(line int, context string, err error) {
	var list expr.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			s.addf(line, "%s: %s", context, e.Error())
		}
		return
	}
	s.addf(line, "%s: %v", context, err)
}

func (s *issues) err() error {
	if len(s.msgs) == 0 {
		return nil
	}
	return &ProblemError{Messages: s.msgs}
}
