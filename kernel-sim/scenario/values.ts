// Scalar notations of kdsim.json: durations ("10us", "1.5ms" or a number of ns) and numbers
// that may be written as hex strings ("0x91"), because register offsets, vectors, addresses
// and masks read naturally in hex and JSON has no hex literals.

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9 };
const DURATION_RE = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ns|us|µs|μs|ms|s)\s*$/;
const HEX_RE = /^0[xX][0-9a-fA-F]+$/;
const DEC_RE = /^[0-9]+$/;

/**
 * A duration in whole nanoseconds: a non-negative number is taken as ns, a string needs a
 * unit (ns, us/µs, ms, s). Fractions are rounded to the nearest ns. Undefined if invalid.
 */
export function parseDuration(v: unknown): number | undefined {
  let ns: number;
  if (typeof v === 'number') {
    ns = v;
  } else if (typeof v === 'string') {
    const m = DURATION_RE.exec(v);
    if (!m) return undefined;
    ns = Number(m[1]) * UNIT_NS[m[2]];
  } else {
    return undefined;
  }
  if (!Number.isFinite(ns) || ns < 0) return undefined;
  const r = Math.round(ns);
  return Number.isSafeInteger(r) ? r : undefined;
}

/**
 * A number written as a JSON number, a hex string ("0x91") or a decimal digit string.
 * Strings must fit a safe integer (2^53 - 1); use parseBigNumber for 64-bit masks.
 */
export function parseNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  let n: number;
  if (HEX_RE.test(s)) n = parseInt(s.slice(2), 16);
  else if (DEC_RE.test(s)) n = Number(s);
  else return undefined;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Like parseNumber but exact for 64-bit values (affinity masks, bug check parameters). */
export function parseBigNumber(v: unknown): bigint | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (HEX_RE.test(s) || DEC_RE.test(s)) return BigInt(s);
  return undefined;
}

/** Readable duration for messages: 1500 → "1.5us", 2e9 → "2s". */
export function formatDuration(ns: number): string {
  const units: Array<[string, number]> = [
    ['s', 1e9],
    ['ms', 1e6],
    ['us', 1e3],
  ];
  for (const [unit, scale] of units) {
    if (Math.abs(ns) >= scale) return `${trimDecimals(ns / scale)}${unit}`;
  }
  return `${trimDecimals(ns)}ns`;
}

function trimDecimals(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

/** `0x` + upper-case hex, as WinDbg shows codes. */
export function hex(n: number | bigint): string {
  return '0x' + n.toString(16).toUpperCase();
}
