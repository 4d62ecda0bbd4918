package pinn

import (
	"strings"
)

// lineIndex finds the line of every key of a TOML document. The TOML decoder reports lines only
// for syntax errors, but a semantic error ("equation 2: unknown symbol …") must name the line too,
// so the source is scanned once for table headers and `key = value` lines.
//
// Keys are recorded as (table, ordinal, key): table is the dotted header path ("condition",
// "sampling.adaptive"), ordinal counts the [[array-of-tables]] entries of that path from 0 (0 for
// plain tables), and key is the dotted key inside the table. Keys of inline tables are recorded on
// the line of the key that holds them.
type lineIndex struct {
	entries []lineEntry
	headers []lineEntry // table headers (key empty)
}

type lineEntry struct {
	table string
	ord   int
	key   string
	line  int
}

// newLineIndex scans src. It is tolerant: a construct it does not understand only costs the
// precision of a line number (lookups fall back to the table header or line 0), never an error,
// because the decoder has already validated the syntax.
func newLineIndex(src string) *lineIndex {
	idx := &lineIndex{}
	lines := strings.Split(src, "\n")
	table := ""
	ord := 0
	counts := map[string]int{}
	for i := 0; i < len(lines); i++ {
		lineNo := i + 1
		s := strings.TrimSpace(stripComment(lines[i]))
		if s == "" {
			continue
		}
		switch {
		case strings.HasPrefix(s, "[["):
			table = normalizeKey(strings.TrimSuffix(strings.TrimPrefix(s, "[["), "]]"))
			ord = counts[table]
			counts[table]++
			idx.headers = append(idx.headers, lineEntry{table: table, ord: ord, line: lineNo})
			continue
		case strings.HasPrefix(s, "["):
			table = normalizeKey(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
			ord = 0
			idx.headers = append(idx.headers, lineEntry{table: table, line: lineNo})
			continue
		}
		eq := keyEnd(s)
		if eq < 0 {
			continue
		}
		key := normalizeKey(s[:eq])
		value := s[eq+1:]
		idx.entries = append(idx.entries, lineEntry{table: table, ord: ord, key: key, line: lineNo})
		idx.inline(table, ord, key, value, lineNo)
		// Skip the continuation lines of multi-line arrays, inline tables and strings, so that
		// their contents are not read as keys.
		for depth, open := balance(value, ""); (depth > 0 || open != "") && i+1 < len(lines); {
			i++
			depth2, open2 := balance(lines[i], open)
			depth += depth2
			open = open2
		}
	}
	return idx
}

// inline records the keys of an inline table value `{ a = 1, b = { c = 2 } }` on line.
func (idx *lineIndex) inline(table string, ord int, key, value string, line int) {
	v := strings.TrimSpace(value)
	if !strings.HasPrefix(v, "{") {
		return
	}
	depth := 0
	start := 1
	var prefix []string
	prefix = append(prefix, key)
	for p := 0; p < len(v); p++ {
		switch v[p] {
		case '"', '\'':
			q := v[p]
			for p++; p < len(v) && v[p] != q; p++ {
				if v[p] == '\\' && q == '"' {
					p++
				}
			}
		case '{':
			depth++
			start = p + 1
		case '}':
			depth--
			if len(prefix) > depth && depth >= 1 {
				prefix = prefix[:depth]
			}
			start = p + 1
		case ',':
			start = p + 1
		case '=':
			k := normalizeKey(v[start:p])
			if k != "" && depth >= 1 {
				for len(prefix) > depth {
					prefix = prefix[:len(prefix)-1]
				}
				full := strings.Join(append(append([]string(nil), prefix...), k), ".")
				idx.entries = append(idx.entries, lineEntry{table: table, ord: ord, key: full, line: line})
				if strings.HasPrefix(strings.TrimSpace(v[p+1:]), "{") {
					prefix = append(prefix, k)
				}
			}
		}
	}
}

// Line returns the line of key in the ord-th entry of table (ord 0 for a plain table), falling
// back to the table's header, or 0 when neither is found.
func (idx *lineIndex) Line(table string, ord int, key string) int {
	if idx == nil {
		return 0
	}
	for _, e := range idx.entries {
		if e.table == table && e.ord == ord && e.key == key {
			return e.line
		}
	}
	// A key written as a dotted key in the parent table (`domain.x = …`) or as its own table.
	for _, e := range idx.entries {
		if table != "" && e.ord == 0 && e.table+"."+e.key == table+"."+key {
			return e.line
		}
	}
	return idx.Header(table, ord)
}

// Header returns the line of the ord-th header of table, or 0.
func (idx *lineIndex) Header(table string, ord int) int {
	if idx == nil {
		return 0
	}
	for _, h := range idx.headers {
		if h.table == table && h.ord == ord {
			return h.line
		}
	}
	return 0
}

// Find returns the first line where the full dotted key path (table and key joined, array
// ordinals ignored) is written: the way an undecoded key reported by the decoder is located.
func (idx *lineIndex) Find(path string) int {
	for _, e := range idx.entries {
		full := e.key
		if e.table != "" {
			full = e.table + "." + e.key
		}
		if full == path {
			return e.line
		}
	}
	for _, h := range idx.headers {
		if h.table == path {
			return h.line
		}
	}
	return 0
}

// stripComment removes a # comment that is not inside a string.
func stripComment(s string) string {
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == '\\' && q == '"' {
				i++
			} else if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '#':
			return s[:i]
		}
	}
	return s
}

// keyEnd returns the index of the `=` that ends the key of a key/value line, or -1.
func keyEnd(s string) int {
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '=':
			return i
		}
	}
	return -1
}

// normalizeKey turns `a . "b" ` into `a.b`.
func normalizeKey(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if len(p) >= 2 && (p[0] == '"' || p[0] == '\'') && p[len(p)-1] == p[0] {
			p = p[1 : len(p)-1]
		}
		parts[i] = p
	}
	return strings.Join(parts, ".")
}

// balance returns the bracket depth change of s and the multi-line string still open at its end
// ("" when none), given the string open at its start.
func balance(s, open string) (int, string) {
	depth := 0
	for i := 0; i < len(s); {
		if open != "" {
			j := strings.Index(s[i:], open)
			if j < 0 {
				return depth, open
			}
			i += j + len(open)
			open = ""
			continue
		}
		switch {
		case strings.HasPrefix(s[i:], `"""`):
			open = `"""`
			i += 3
		case strings.HasPrefix(s[i:], `'''`):
			open = `'''`
			i += 3
		case s[i] == '"' || s[i] == '\'':
			q := s[i]
			i++
			for i < len(s) && s[i] != q {
				if s[i] == '\\' && q == '"' {
					i++
				}
				i++
			}
			i++
		case s[i] == '#':
			return depth, ""
		case s[i] == '[' || s[i] == '{':
			depth++
			i++
		case s[i] == ']' || s[i] == '}':
			depth--
			i++
		default:
			i++
		}
	}
	return depth, open
}
