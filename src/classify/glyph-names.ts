// Glyph names to Unicode, for simple fonts without a ToUnicode map: the names the standard Latin
// encodings use, the accented letters (a base letter followed by accent words, as in `ohornacute`: what
// Vietnamese text needs), `uniXXXX` and `uXXXX` names, ligatures written with `_`, and suffixes such as
// `.sc` dropped (the Adobe Glyph List's rules for deriving text from a name). Anything else is unknown.

const NAMED: Record<string, string> = {
  space: " ",
  exclam: "!",
  quotedbl: '"',
  numbersign: "#",
  dollar: "$",
  percent: "%",
  ampersand: "&",
  quotesingle: "'",
  quoteright: "\u2019",
  parenleft: "(",
  parenright: ")",
  asterisk: "*",
  plus: "+",
  comma: ",",
  hyphen: "-",
  period: ".",
  slash: "/",
  zero: "0",
  one: "1",
  two: "2",
  three: "3",
  four: "4",
  five: "5",
  six: "6",
  seven: "7",
  eight: "8",
  nine: "9",
  colon: ":",
  semicolon: ";",
  less: "<",
  equal: "=",
  greater: ">",
  question: "?",
  at: "@",
  bracketleft: "[",
  backslash: "\\",
  bracketright: "]",
  asciicircum: "^",
  underscore: "_",
  grave: "`",
  quoteleft: "\u2018",
  braceleft: "{",
  bar: "|",
  braceright: "}",
  asciitilde: "~",
  exclamdown: "\u00a1",
  cent: "\u00a2",
  sterling: "\u00a3",
  fraction: "\u2044",
  yen: "\u00a5",
  florin: "\u0192",
  section: "\u00a7",
  currency: "\u00a4",
  quotedblleft: "\u201c",
  guillemotleft: "\u00ab",
  guilsinglleft: "\u2039",
  guilsinglright: "\u203a",
  fi: "\ufb01",
  fl: "\ufb02",
  ff: "\ufb00",
  ffi: "\ufb03",
  ffl: "\ufb04",
  endash: "\u2013",
  dagger: "\u2020",
  daggerdbl: "\u2021",
  periodcentered: "\u00b7",
  paragraph: "\u00b6",
  bullet: "\u2022",
  quotesinglbase: "\u201a",
  quotedblbase: "\u201e",
  quotedblright: "\u201d",
  guillemotright: "\u00bb",
  ellipsis: "\u2026",
  perthousand: "\u2030",
  questiondown: "\u00bf",
  acute: "\u00b4",
  circumflex: "\u02c6",
  tilde: "\u02dc",
  macron: "\u00af",
  breve: "\u02d8",
  dotaccent: "\u02d9",
  dieresis: "\u00a8",
  ring: "\u02da",
  cedilla: "\u00b8",
  hungarumlaut: "\u02dd",
  ogonek: "\u02db",
  caron: "\u02c7",
  emdash: "\u2014",
  AE: "\u00c6",
  ae: "\u00e6",
  ordfeminine: "\u00aa",
  ordmasculine: "\u00ba",
  Lslash: "\u0141",
  lslash: "\u0142",
  Oslash: "\u00d8",
  oslash: "\u00f8",
  OE: "\u0152",
  oe: "\u0153",
  dotlessi: "\u0131",
  germandbls: "\u00df",
  Euro: "\u20ac",
  trademark: "\u2122",
  copyright: "\u00a9",
  registered: "\u00ae",
  degree: "\u00b0",
  plusminus: "\u00b1",
  onesuperior: "\u00b9",
  twosuperior: "\u00b2",
  threesuperior: "\u00b3",
  mu: "\u00b5",
  multiply: "\u00d7",
  divide: "\u00f7",
  logicalnot: "\u00ac",
  brokenbar: "\u00a6",
  onequarter: "\u00bc",
  onehalf: "\u00bd",
  threequarters: "\u00be",
  Eth: "\u00d0",
  eth: "\u00f0",
  Thorn: "\u00de",
  thorn: "\u00fe",
  nbspace: "\u00a0",
  nonbreakingspace: "\u00a0",
  sfthyphen: "\u00ad",
  softhyphen: "\u00ad",
  minus: "\u2212",
  Dcroat: "\u0110",
  dcroat: "\u0111",
  Dslash: "\u0110",
  dmacron: "\u0111",
  Ydieresis: "\u0178",
  dotlessj: "\u0237",
  numero: "\u2116",
};

/** Accent words of glyph names, as combining marks (composed with the letter before them). */
const ACCENTS: Array<[string, string]> = [
  ["circumflex", "\u0302"],
  ["hookabove", "\u0309"],
  ["dotbelow", "\u0323"],
  ["dieresis", "\u0308"],
  ["hungarumlaut", "\u030b"],
  ["commaaccent", "\u0326"],
  ["dotaccent", "\u0307"],
  ["cedilla", "\u0327"],
  ["ogonek", "\u0328"],
  ["macron", "\u0304"],
  ["acute", "\u0301"],
  ["grave", "\u0300"],
  ["tilde", "\u0303"],
  ["breve", "\u0306"],
  ["caron", "\u030c"],
  ["horn", "\u031b"],
  ["ring", "\u030a"],
];

/** `abreveacute` → ắ: a letter and accent words, composed to one character (else unknown). */
function accented(name: string): string | null {
  const base = name.startsWith("dotlessi") ? "\u0131" : /^[A-Za-z]/.test(name) ? name[0]! : null;
  if (!base) return null;
  let rest = name.slice(base === "\u0131" ? 8 : 1);
  if (!rest) return null;
  let marks = "";
  while (rest) {
    const a = ACCENTS.find(([w]) => rest.startsWith(w));
    if (!a) return null;
    marks += a[1];
    rest = rest.slice(a[0].length);
  }
  const composed = (base + marks).normalize("NFC");
  return [...composed].length === 1 ? composed : null;
}

function hexText(hex: string, width: number): string | null {
  if (hex.length === 0 || hex.length % width !== 0 || !/^[0-9A-F]+$/.test(hex)) return null;
  let s = "";
  for (let i = 0; i < hex.length; i += width) {
    const cp = parseInt(hex.slice(i, i + width), 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
    s += String.fromCodePoint(cp);
  }
  return s;
}

const cache = new Map<string, string | null>();

/** The text a glyph name stands for, or null when the name says nothing (`g123`, `cid42`, `glyph7`). */
export function glyphText(name: string): string | null {
  let v = cache.get(name);
  if (v !== undefined) return v;
  v = derive(name);
  if (cache.size < 10_000) cache.set(name, v);
  return v;
}

function derive(full: string): string | null {
  const name = full.split(".")[0]!;
  if (!name) return null;
  if (name.includes("_")) {
    const parts = name.split("_").map((p) => derive(p));
    return parts.every((p) => p !== null) ? parts.join("") : null;
  }
  if (name.length === 1 && /[A-Za-z]/.test(name)) return name;
  const named = NAMED[name];
  if (named !== undefined) return named;
  if (name.startsWith("uni")) return hexText(name.slice(3), 4);
  if (/^u[0-9A-F]{4,6}$/.test(name)) return hexText(name.slice(1), name.length - 1);
  return accented(name);
}
