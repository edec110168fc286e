// Package data holds the seed figures of the Kazakhstan–Armenia article of
// 15 October 2024 (see DESIGN.md), embedded so that an installed report
// binary works from any directory.
package data

import _ "embed"

// TradeCSV is the content of trade.csv.
//
//go:embed trade.csv
var TradeCSV []byte

// TradeName is the name the embedded file is reported under.
const TradeName = "data/trade.csv"
