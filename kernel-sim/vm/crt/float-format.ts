// Exact formatting of IEEE-754 doubles for the printf family: %f %F %e %E %g %G %a %A.
//
// A finite double is exactly m·2^e (m < 2^53). For e < 0 that is m·5^-e / 10^-e, so the exact
// decimal expansion is the digits of the integer m·5^-e with the decimal point -e places from
// the right: at most 1074 fractional digits and 309 integer digits, cheap with BigInt. Rounding
// to the requested precision is done on that exact value, round-half-even (glibc in the default
// rounding mode, and the UCRT since Windows 10 2004), so every precision prints what glibc
// prints, including ties such as printf("%.0f", 2.5) == "2" and printf("%.1f", 0.25) == "0.2".
//
// Precision is not bounded here: digits beyond the exact expansion are zeros, kept as a count
// (a `ZeroRun`) rather than a string, so "%.999999999f" costs nothing until the output limit.

/** A run of '0' characters too long to build as a string. */
export interface ZeroRun {
  zeros: number;
}

/** Part of a converted field: ASCII text or a run of zeros. */
export type FloatPiece = string | ZeroRun;

/** The conversion's result before width padding: sign, prefix, then the digits. */
export interface FloatField {
  negative: boolean;
  /** "0x" / "0X" for %a / %A (zero padding goes after it); otherwise "". */
  prefix: string;
  body: FloatPiece[];
  /** inf or nan: the 0 flag pads with spaces, not zeros. */
  special: boolean;
}

export type FloatConversion = 'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'a' | 'A';

export type NanStyle = 'gnu' | 'msvc';

export interface FloatOptions {
  /** Precision from the format, or undefined if none was given. */
  precision: number | undefined;
  /** The '#' flag. */
  alt: boolean;
  /**
   * 'gnu': nan is "nan" (with its sign: "-nan"), %a without a precision drops trailing zeros.
   * 'msvc': "nan", "nan(ind)" (the x64 default NaN, negative with an empty payload: printed
   * "-nan(ind)"), "nan(snan)" for a signalling NaN; %a's default precision is 13.
   */
  style: NanStyle;
}

interface Bits {
  negative: boolean;
  /** biased exponent field, 0..2047 */
  biased: number;
  /** the 52-bit fraction field */
  fraction: bigint;
}

const scratch = new DataView(new ArrayBuffer(8));

function bitsOf(x: number): Bits {
  scratch.setFloat64(0, x);
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  return {
    negative: hi >>> 31 === 1,
    biased: (hi >>> 20) & 0x7ff,
    fraction: (BigInt(hi & 0xfffff) << 32n) | BigInt(lo),
  };
}

const pow10Cache: bigint[] = [1n];

function pow10(n: number): bigint {
  if (n < 4096) {
    let c = pow10Cache[n];
    if (c === undefined) {
      c = 10n ** BigInt(n);
      pow10Cache[n] = c;
    }
    return c;
  }
  return 10n ** BigInt(n);
}

/** n / 10^cut rounded to nearest, ties to even. */
function roundDiv10(n: bigint, cut: number): bigint {
  if (cut <= 0) return n;
  const p = pow10(cut);
  let q = n / p;
  const twice = (n % p) * 2n;
  if (twice > p || (twice === p && (q & 1n) === 1n)) q += 1n;
  return q;
}

/** The exact value of a positive finite double as n / 10^frac. */
interface ExactDecimal {
  n: bigint;
  frac: number;
}

function exactDecimal(b: Bits): ExactDecimal {
  let mant = b.biased === 0 ? b.fraction : b.fraction | (1n << 52n);
  let exp = b.biased === 0 ? -1074 : b.biased - 1075;
  if (mant === 0n) return { n: 0n, frac: 0 };
  while (exp < 0 && (mant & 1n) === 0n) {
    mant >>= 1n;
    exp++;
  }
  if (exp >= 0) return { n: mant << BigInt(exp), frac: 0 };
  return { n: mant * 5n ** BigInt(-exp), frac: -exp };
}

/** Digits of a fixed-point rendering: int part, fraction digits, then `zeros` more zeros. */
interface Fixed {
  int: string;
  frac: string;
  zeros: number;
}

function toFixed(d: ExactDecimal, precision: number): Fixed {
  if (d.n === 0n) return { int: '0', frac: '', zeros: precision };
  let s: string;
  let fracLen: number;
  let zeros = 0;
  if (precision >= d.frac) {
    s = d.n.toString();
    fracLen = d.frac;
    zeros = precision - d.frac;
  } else {
    s = roundDiv10(d.n, d.frac - precision).toString();
    fracLen = precision;
  }
  if (s.length <= fracLen) s = '0'.repeat(fracLen - s.length + 1) + s;
  return { int: s.slice(0, s.length - fracLen), frac: s.slice(s.length - fracLen), zeros };
}

/** Digits of a scientific rendering: `digits` (then `zeros` more) × 10^(exp - digits + 1). */
interface Scientific {
  digits: string;
  zeros: number;
  exp: number;
  /** the exponent of the exact value, before rounding carried into a new digit */
  exactExp: number;
}

function toScientific(d: ExactDecimal, precision: number): Scientific {
  if (d.n === 0n) return { digits: '0', zeros: precision, exp: 0, exactExp: 0 };
  const s = d.n.toString();
  const exactExp = s.length - 1 - d.frac;
  let exp = exactExp;
  const want = precision + 1;
  if (s.length <= want) return { digits: s, zeros: want - s.length, exp, exactExp };
  let q = roundDiv10(d.n, s.length - want).toString();
  if (q.length > want) {
    // 99.96 → 100.0: the carry added a digit; the value is now exactly 10^want
    exp++;
    q = q.slice(0, want);
  }
  return { digits: q, zeros: 0, exp, exactExp };
}

function exponentText(exp: number, minDigits: number): string {
  const a = Math.abs(exp).toString();
  return (exp < 0 ? '-' : '+') + (a.length < minDigits ? '0'.repeat(minDigits - a.length) + a : a);
}

/** Assemble "int[.frac000…]suffix" pieces. */
function pieces(lead: string, point: boolean, frac: string, zeros: number, suffix: string): FloatPiece[] {
  const out: FloatPiece[] = [point ? lead + '.' + frac : lead + frac];
  if (zeros > 0) out.push({ zeros });
  if (suffix !== '') out.push(suffix);
  return out;
}

function specialField(b: Bits, upper: boolean, style: NanStyle): FloatField {
  let text: string;
  if (b.fraction === 0n) text = 'inf';
  else if (style === 'gnu') text = 'nan';
  else {
    const quiet = (b.fraction >> 51n) === 1n;
    if (!quiet) text = 'nan(snan)';
    else if (b.negative && b.fraction === 1n << 51n) text = 'nan(ind)';
    else text = 'nan';
  }
  return { negative: b.negative, prefix: '', body: [upper ? text.toUpperCase() : text], special: true };
}

/** Format a double for one of the floating conversions (sign and padding are the caller's). */
export function formatFloat(x: number, conv: FloatConversion, opts: FloatOptions): FloatField {
  const b = bitsOf(x);
  const upper = conv === 'F' || conv === 'E' || conv === 'G' || conv === 'A';
  if (b.biased === 0x7ff) return specialField(b, upper, opts.style);
  const alt = opts.alt;
  switch (conv) {
    case 'f':
    case 'F': {
      const p = opts.precision ?? 6;
      const f = toFixed(exactDecimal(b), p);
      return { negative: b.negative, prefix: '', body: pieces(f.int, p > 0 || alt, f.frac, f.zeros, ''), special: false };
    }
    case 'e':
    case 'E': {
      const p = opts.precision ?? 6;
      const s = toScientific(exactDecimal(b), p);
      const suffix = (upper ? 'E' : 'e') + exponentText(s.exp, 2);
      return {
        negative: b.negative,
        prefix: '',
        body: pieces(s.digits[0], p > 0 || alt, s.digits.slice(1), s.zeros, suffix),
        special: false,
      };
    }
    case 'g':
    case 'G':
      return { negative: b.negative, prefix: '', body: general(exactDecimal(b), opts, upper), special: false };
    case 'a':
    case 'A':
      return { negative: b.negative, prefix: upper ? '0X' : '0x', body: hexFloat(b, opts, upper), special: false };
  }
}

/**
 * %g: %e or %f by the exponent after rounding to P significant digits; trailing zeros go
 * unless '#'.
 *
 * glibc quirk (gnu style): when the value's own exponent is P - 1 (%f style) and rounding
 * carries it to P (%e style), glibc keeps the %f fraction length, which is 0, so %#g of
 * 999999.5 prints "1.e+06" where C asks for "1.00000e+06". Without '#' the zeros go anyway.
 */
function general(d: ExactDecimal, opts: FloatOptions, upper: boolean): FloatPiece[] {
  const alt = opts.alt;
  const p = opts.precision === undefined ? 6 : opts.precision === 0 ? 1 : opts.precision;
  const sci = toScientific(d, p - 1);
  let lead: string;
  let frac: string;
  let zeros: number;
  let suffix = '';
  if (alt && opts.style === 'gnu' && sci.exp === p && sci.exactExp === p - 1) {
    return pieces(sci.digits[0], true, '', 0, (upper ? 'E' : 'e') + exponentText(sci.exp, 2));
  }
  if (p > sci.exp && sci.exp >= -4) {
    const f = toFixed(d, p - 1 - sci.exp);
    lead = f.int;
    frac = f.frac;
    zeros = f.zeros;
  } else {
    lead = sci.digits[0];
    frac = sci.digits.slice(1);
    zeros = sci.zeros;
    suffix = (upper ? 'E' : 'e') + exponentText(sci.exp, 2);
  }
  if (alt) return pieces(lead, true, frac, zeros, suffix);
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 0x30) end--;
  frac = frac.slice(0, end);
  return pieces(lead, frac.length > 0, frac, 0, suffix);
}

/** %a: [lead digit].[hex fraction]p±exp, glibc layout (a subnormal keeps its leading 0 and p-1022). */
function hexFloat(b: Bits, opts: FloatOptions, upper: boolean): FloatPiece[] {
  const zero = b.biased === 0 && b.fraction === 0n;
  let lead = b.biased === 0 ? 0n : 1n;
  const exp = zero ? 0 : b.biased === 0 ? -1022 : b.biased - 1023;
  let fracDigits: string;
  let zeros = 0;
  const precision = opts.precision ?? (opts.style === 'msvc' ? 13 : undefined);
  if (precision === undefined) {
    fracDigits = b.fraction.toString(16).padStart(13, '0').replace(/0+$/, '');
  } else if (precision >= 13) {
    fracDigits = b.fraction.toString(16).padStart(13, '0');
    zeros = precision - 13;
  } else {
    // round the 53-bit significand at hex digit `precision`, ties to even; a carry reaches the
    // leading digit as glibc prints it: 0x1.f8p+0 at %.1a is "0x2.0p+0"
    const shift = BigInt(4 * (13 - precision));
    const sig = (lead << 52n) | b.fraction;
    let q = sig >> shift;
    const rest = sig & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
    const fracBits = BigInt(4 * precision);
    lead = q >> fracBits;
    fracDigits = precision === 0 ? '' : (q & ((1n << fracBits) - 1n)).toString(16).padStart(precision, '0');
  }
  if (upper) fracDigits = fracDigits.toUpperCase();
  const point = fracDigits.length > 0 || zeros > 0 || opts.alt;
  return pieces(lead.toString(), point, fracDigits, zeros, (upper ? 'P' : 'p') + exponentText(exp, 1));
}
