package fitcli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
)

// ReadConfigFile reads architecture settings from a JSON or TOML file (by extension; .toml is
// TOML, anything else JSON) and returns them as a JSON document. An optional top-level "model"
// key names the architecture the settings are for; it is returned separately.
func ReadConfigFile(path string) (model string, doc []byte, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, fmt.Errorf("--config: %w", err)
	}
	var m map[string]any
	if strings.EqualFold(filepath.Ext(path), ".toml") {
		if _, err := toml.Decode(string(data), &m); err != nil {
			return "", nil, fmt.Errorf("--config %s: %w", path, err)
		}
	} else {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			return "", nil, fmt.Errorf("--config %s: not a JSON object: %w (TOML files need the .toml extension)", path, err)
		}
	}
	if v, ok := m["model"]; ok {
		s, ok := v.(string)
		if !ok {
			return "", nil, fmt.Errorf("--config %s: \"model\" must be a string", path)
		}
		model = s
		delete(m, "model")
	}
	doc, err = json.Marshal(m)
	if err != nil {
		return "", nil, fmt.Errorf("--config %s: %w", path, err)
	}
	return model, doc, nil
}
