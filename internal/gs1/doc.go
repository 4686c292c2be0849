// Package gs1 reads GS1 data: application identifiers (AIs), element
// strings as scanners send them, the bracketed human-readable form and GS1
// Digital Link URIs, with check digits, dates, decimals, lengths, character
// sets and the content rules of the GS1 Barcode Syntax Dictionary, which is
// embedded (gs1-syntax-dictionary.txt, Apache-2.0).
//
// Basics: a Parser (the zero value is ready) turns data into Elements,
// appending to a caller's slice so that the scan path does not allocate.
// Every rejection is an *Error: a sentence a picker can read, plus the AI,
// the byte offset and the kind of Problem for code.
//
// It must never guess and never change data: data it cannot read exactly
// is rejected, and a doubtful but valid reading (a separator a scanner may
// have dropped) is read the standard way, with SplitSwallowed to let the
// caller warn. It touches no devices, no storage and, when the Parser is
// given a clock, not the system clock either.
package gs1
