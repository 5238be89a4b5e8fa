// National-language support the run-time library needs: the system ANSI code page and
// RtlUpcaseUnicodeChar. kdsim's system locale is en-US: ANSI code page 1252.

/** Code page 1252 bytes 0x80..0x9F (the rest of 0x00..0xFF is Latin-1, i.e. U+0000..U+00FF). */
const CP1252_80_9F = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];
const FROM_UNICODE = new Map(CP1252_80_9F.map((u, i) => [u, 0x80 + i]));

/** The default character for a UTF-16 unit the code page lacks ('?', as Windows). */
export const ANSI_DEFAULT_CHAR = 0x3f;

export function ansiToUnicode(b: number): number {
  return b >= 0x80 && b <= 0x9f ? CP1252_80_9F[b - 0x80] : b;
}

/**
 * One UTF-16 unit to code page 1252 (a surrogate pair gives two default characters, as a
 * single-byte code page converts unit by unit). Windows' best-fit mappings ('Ā' → 'A') are
 * not modelled: anything outside the code page becomes '?'.
 */
export function unicodeToAnsi(u: number): number {
  if (u < 0x80 || (u >= 0xa0 && u <= 0xff)) return u;
  return FROM_UNICODE.get(u) ?? ANSI_DEFAULT_CHAR;
}

/**
 * RtlUpcaseUnicodeChar: the simple (one unit to one unit) uppercase mapping of the Unicode
 * database, which Windows' upcase table follows for Latin-1 and the rest of the BMP. A unit
 * whose uppercase form is longer (ß → "SS") is left as it is, as Windows does.
 */
export function upcaseUnicodeChar(u: number): number {
  if (u < 0x61) return u;
  if (u <= 0x7a) return u - 0x20;
  if (u < 0x80) return u;
  const s = String.fromCharCode(u).toUpperCase();
  return s.length === 1 ? s.charCodeAt(0) : u;
}
