// Exact formatting of IEEE-754 doubles for the printf family: %f %F %e %E %g %G %a %A.
//
// A finite double is exactly m·2^e (m < 2^53). For e < 0 that is m·5^-e / 10^-e, so the exact
// decimal expansion is the digits of the integer m·5^-e with the decimal point -e places from
// the right: at most 1074 fractional digits and 309 integer digits, cheap with BigInt. Rounding
// to the requested precision is done on that exact value, round-half-even (glibc in the default
// rounding mode, and the UCRT since Windows 10 2004), so every precision prints what glibc
// prints, including ties such as printf("%.0f", 2.5) == "2" and printf("%.1f", 0.25) == "0.2".
//
// Fast path: Number.prototype.toFixed / toExponential are also exact (ECMA-262 defines them on
// the exact value) for precisions up to 100, but break ties upwards. A tie needs the exact
// expansion to end exactly one digit past the rounding position, which the binary exponent
// tells without computing it, so those few cases (and huge integers) take the BigInt path.
// `formatFloatExact` always takes the BigInt path; the tests check both agree.
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

export type FloatStyle = 'gnu' | 'msvc';

export interface FloatOptions {
  /** Precision from the format, or undefined if none was given. */
  precision: number | undefined;
  /** The '#' flag. */
  alt: boolean;
  /**
   * 'gnu': nan is "nan" (with its sign: "-nan"), %a without a precision drops trailing zeros,
   * glibc's %#g carry quirk (see `general`).
   * 'msvc': "nan", "nan(ind)" (the x64 default NaN, negative with an empty payload: printed
   * "-nan(ind)"), "nan(snan)" for a signalling NaN; %a's default precision is 13.
   */
  style: FloatStyle;
}

/** A finite double taken apart: |x| = mant · 2^exp, mant < 2^53 and odd unless exp >= 0. */
interface Parts {
  negative: boolean;
  abs: number;
  mant: number;
  exp: number;
}

const scratch = new DataView(new ArrayBuffer(8));

function ctz(x: number): number {
  return 31 - Math.clz32(x & -x);
}

function partsOf(x: number): Parts {
  scratch.setFloat64(0, x);
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let top = hi & 0xfffff;
  if (biased !== 0) top |= 0x100000;
  let exp = biased === 0 ? -1074 : biased - 1075;
  let mant = top * 4294967296 + lo;
  if (mant !== 0 && exp < 0) {
    const tz = Math.min(lo !== 0 ? ctz(lo) : 32 + ctz(top), -exp);
    mant /= 2 ** tz;
    exp += tz;
  }
  return { negative: hi >>> 31 === 1, abs: Math.abs(x), mant, exp };
}

const pow5Cache: bigint[] = [];
const pow10Cache: bigint[] = [];

function pow5(n: number): bigint {
  let c = pow5Cache[n];
  if (c === undefined) {
    c = 5n ** BigInt(n);
    pow5Cache[n] = c;
  }
  return c;
}

function pow10(n: number): bigint {
  if (n >= 2048) return 10n ** BigInt(n);
  let c = pow10Cache[n];
  if (c === undefined) {
    c = 10n ** BigInt(n);
    pow10Cache[n] = c;
  }
  return c;
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

/** The exact value as n / 10^frac. */
interface ExactDecimal {
  n: bigint;
  frac: number;
}

function exactDecimal(v: Parts): ExactDecimal {
  if (v.mant === 0) return { n: 0n, frac: 0 };
  if (v.exp >= 0) return { n: BigInt(v.mant) << BigInt(v.exp), frac: 0 };
  return { n: BigInt(v.mant) * pow5(-v.exp), frac: -v.exp };
}

/** Digits of a fixed-point rendering: int part, fraction digits, then `zeros` more zeros. */
interface Fixed {
  int: string;
  frac: string;
  zeros: number;
}

function fixedExact(v: Parts, precision: number): Fixed {
  const d = exactDecimal(v);
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

function toFixed(v: Parts, precision: number, exact: boolean): Fixed {
  // the exact expansion has -exp fraction digits (the last one a 5): a tie needs exactly precision + 1
  if (!exact && v.abs < 1e21 && precision <= 100 && -v.exp !== precision + 1) {
    const t = v.abs.toFixed(precision);
    const dot = t.indexOf('.');
    return dot < 0 ? { int: t, frac: '', zeros: 0 } : { int: t.slice(0, dot), frac: t.slice(dot + 1), zeros: 0 };
  }
  return fixedExact(v, precision);
}

/** Digits of a scientific rendering: `digits` (then `zeros` more) × 10^(exp - digits + 1). */
interface Scientific {
  digits: string;
  zeros: number;
  exp: number;
  /** the exponent of the exact value, before rounding carried into a new digit (exact path only) */
  exactExp?: number;
}

function scientificExact(v: Parts, precision: number): Scientific {
  const d = exactDecimal(v);
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

const LOG10_5 = Math.log10(5);

/** Whether rounding to `precision` + 1 significant digits may be a tie (or needs BigInt anyway). */
function scientificNeedsExact(v: Parts, precision: number): boolean {
  if (precision > 100 || v.mant === 0) return true;
  if (v.exp < 0) {
    // the exact digits are those of mant·5^k, whose last digit is a 5: a tie needs precision + 2 of them
    const digits = Math.floor(Math.log10(v.mant) + -v.exp * LOG10_5) + 1;
    return digits >= precision + 1 && digits <= precision + 3;
  }
  if (v.abs >= 2 ** 53) return true;
  const s = v.abs.toString(); // an integer below 2^53: exact digits
  return s.length > precision + 1 && s.charCodeAt(precision + 1) === 0x35 && /^0*$/.test(s.slice(precision + 2));
}

function toScientific(v: Parts, precision: number, exact: boolean): Scientific {
  if (exact || scientificNeedsExact(v, precision)) return scientificExact(v, precision);
  const t = v.abs.toExponential(precision);
  const e = t.indexOf('e');
  const exp = Number(t.slice(e + 1));
  const digits = precision === 0 ? t.slice(0, e) : t[0] + t.slice(2, e);
  return { digits, zeros: 0, exp };
}

function exponentText(exp: number, minDigits: number): string {
  const a = Math.abs(exp).toString();
  return (exp < 0 ? '-' : '+') + (a.length < minDigits ? '0'.repeat(minDigits - a.length) + a : a);
}

/** Assemble "lead[.frac000…]suffix" pieces. */
function pieces(lead: string, point: boolean, frac: string, zeros: number, suffix: string): FloatPiece[] {
  const out: FloatPiece[] = [point ? lead + '.' + frac : lead + frac];
  if (zeros > 0) out.push({ zeros });
  if (suffix !== '') out.push(suffix);
  return out;
}

function specialField(x: number, upper: boolean, style: FloatStyle): FloatField {
  scratch.setFloat64(0, x);
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  const negative = hi >>> 31 === 1;
  const top = hi & 0xfffff;
  let text: string;
  if (top === 0 && lo === 0) text = 'inf';
  else if (style === 'gnu') text = 'nan';
  else if ((top & 0x80000) === 0) text = 'nan(snan)';
  else if (negative && top === 0x80000 && lo === 0) text = 'nan(ind)';
  else text = 'nan';
  return { negative, prefix: '', body: [upper ? text.toUpperCase() : text], special: true };
}

/** Format a double for one of the floating conversions (sign and padding are the caller's). */
export function formatFloat(x: number, conv: FloatConversion, opts: FloatOptions): FloatField {
  return convertFloat(x, conv, opts, false);
}

/** `formatFloat` without the toFixed/toExponential fast path (for tests). */
export function formatFloatExact(x: number, conv: FloatConversion, opts: FloatOptions): FloatField {
  return convertFloat(x, conv, opts, true);
}

function convertFloat(x: number, conv: FloatConversion, opts: FloatOptions, exact: boolean): FloatField {
  const upper = conv === 'F' || conv === 'E' || conv === 'G' || conv === 'A';
  if (!Number.isFinite(x)) return specialField(x, upper, opts.style);
  const v = partsOf(x);
  const alt = opts.alt;
  switch (conv) {
    case 'f':
    case 'F': {
      const p = opts.precision ?? 6;
      const f = toFixed(v, p, exact);
      return { negative: v.negative, prefix: '', body: pieces(f.int, p > 0 || alt, f.frac, f.zeros, ''), special: false };
    }
    case 'e':
    case 'E': {
      const p = opts.precision ?? 6;
      const s = toScientific(v, p, exact);
      const suffix = (upper ? 'E' : 'e') + exponentText(s.exp, 2);
      return {
        negative: v.negative,
        prefix: '',
        body: pieces(s.digits[0], p > 0 || alt, s.digits.slice(1), s.zeros, suffix),
        special: false,
      };
    }
    case 'g':
    case 'G':
      return { negative: v.negative, prefix: '', body: general(v, opts, upper, exact), special: false };
    case 'a':
    case 'A':
      return { negative: v.negative, prefix: upper ? '0X' : '0x', body: hexFloat(x, opts, upper), special: false };
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
function general(v: Parts, opts: FloatOptions, upper: boolean, exact: boolean): FloatPiece[] {
  const alt = opts.alt;
  const p = opts.precision === undefined ? 6 : opts.precision === 0 ? 1 : opts.precision;
  const sci = toScientific(v, p - 1, exact);
  if (alt && opts.style === 'gnu' && sci.exp === p && (sci.exactExp ?? scientificExact(v, p - 1).exactExp) === p - 1) {
    return pieces(sci.digits[0], true, '', 0, (upper ? 'E' : 'e') + exponentText(sci.exp, 2));
  }
  let lead: string;
  let frac: string;
  let zeros: number;
  let suffix = '';
  if (p > sci.exp && sci.exp >= -4) {
    const f = toFixed(v, p - 1 - sci.exp, exact);
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
function hexFloat(x: number, opts: FloatOptions, upper: boolean): FloatPiece[] {
  scratch.setFloat64(0, x);
  const hi = scratch.getUint32(0);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(scratch.getUint32(4));
  const zero = biased === 0 && fraction === 0n;
  let lead = biased === 0 ? 0n : 1n;
  const exp = zero ? 0 : biased === 0 ? -1022 : biased - 1023;
  let fracDigits: string;
  let zeros = 0;
  const precision = opts.precision ?? (opts.style === 'msvc' ? 13 : undefined);
  if (precision === undefined) {
    fracDigits = fraction.toString(16).padStart(13, '0').replace(/0+$/, '');
  } else if (precision >= 13) {
    fracDigits = fraction.toString(16).padStart(13, '0');
    zeros = precision - 13;
  } else {
    // round the 53-bit significand at hex digit `precision`, ties to even; a carry reaches the
    // leading digit as glibc prints it: 0x1.f8p+0 at %.1a is "0x2.0p+0"
    const shift = BigInt(4 * (13 - precision));
    const sig = (lead << 52n) | fraction;
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
