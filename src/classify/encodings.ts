// The text of each code of the standard simple-font encodings (ISO 32000-1 Annex D): WinAnsi and
// MacRoman are the Windows-1252 and Mac OS Roman code pages (decoded by the platform), Standard is
// ASCII with its own upper half. A font naming another encoding (MacExpert, a symbol font's own) is
// left to pdfjs.

/** code → text (empty where the encoding defines nothing) */
export type Encoding = readonly string[];

function codePage(label: string): Encoding {
  const d = new TextDecoder(label);
  return Array.from({ length: 256 }, (_, c) => (c < 0x20 ? "" : d.decode(Uint8Array.of(c))));
}

const STANDARD_HIGH: Record<number, string> = {
  0xa1: "¡",
  0xa2: "¢",
  0xa3: "£",
  0xa4: "\u2044",
  0xa5: "¥",
  0xa6: "ƒ",
  0xa7: "§",
  0xa8: "¤",
  0xa9: "'",
  0xaa: "\u201c",
  0xab: "«",
  0xac: "\u2039",
  0xad: "\u203a",
  0xae: "\ufb01",
  0xaf: "\ufb02",
  0xb1: "\u2013",
  0xb2: "\u2020",
  0xb3: "\u2021",
  0xb4: "·",
  0xb6: "¶",
  0xb7: "\u2022",
  0xb8: "\u201a",
  0xb9: "\u201e",
  0xba: "\u201d",
  0xbb: "»",
  0xbc: "\u2026",
  0xbd: "\u2030",
  0xbf: "¿",
  0xc1: "`",
  0xc2: "´",
  0xc3: "\u02c6",
  0xc4: "\u02dc",
  0xc5: "¯",
  0xc6: "\u02d8",
  0xc7: "\u02d9",
  0xc8: "¨",
  0xca: "\u02da",
  0xcb: "¸",
  0xcd: "\u02dd",
  0xce: "\u02db",
  0xcf: "\u02c7",
  0xd0: "\u2014",
  0xe1: "Æ",
  0xe3: "ª",
  0xe8: "Ł",
  0xe9: "Ø",
  0xea: "Œ",
  0xeb: "º",
  0xf1: "æ",
  0xf5: "ı",
  0xf8: "ł",
  0xf9: "ø",
  0xfa: "œ",
  0xfb: "ß",
};

function standard(): Encoding {
  return Array.from({ length: 256 }, (_, c) => {
    if (c === 0x27) return "\u2019";
    if (c === 0x60) return "\u2018";
    if (c >= 0x20 && c <= 0x7e) return String.fromCharCode(c);
    return STANDARD_HIGH[c] ?? "";
  });
}

let tables: Record<string, Encoding> | null = null;

/** The named encoding's table, or null for a name kyso does not decode itself. */
export function namedEncoding(name: string): Encoding | null {
  tables ??= { WinAnsiEncoding: codePage("windows-1252"), MacRomanEncoding: codePage("macintosh"), StandardEncoding: standard() };
  return tables[name] ?? null;
}
