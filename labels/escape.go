package labels

import "strings"

// fieldHex writes s as ^FH field data with the default hex indicator "_":
// ^ (which starts a format command), ~ (a control command, obeyed at once even
// inside field data), the indicator _ itself and every control byte become _XX
// hex escapes, so the printer prints them instead of obeying them. Other
// bytes, UTF-8 included, pass as they are (^CI28 reads them as UTF-8).
func fieldHex(b *strings.Builder, s string) {
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '^' || c == '~' || c == '_' || c < 0x20 || c == 0x7f {
			b.WriteByte('_')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xf])
			continue
		}
		b.WriteByte(c)
	}
}
