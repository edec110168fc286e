package data

import _ "embed"

// RulesYAML is the content of rules.yaml: the claims of the seed article,
// which the built-in seed data is checked against.
//
//go:embed rules.yaml
var RulesYAML []byte

// RulesName is the name the embedded rules file is reported under.
const RulesName = "data/rules.yaml"
