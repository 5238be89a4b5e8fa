// How times, addresses and IRQLs read in the panel: the units WinDbg and WPA use.

/** A duration or a point in simulated time, in the largest unit that keeps it readable. */
/** "1 interrupt", "3 interrupts". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function fmtNs(ns: number): string {
  const a = Math.abs(ns);
  if (a >= 1e9) return `${trim(ns / 1e9)} s`;
  if (a >= 1e6) return `${trim(ns / 1e6)} ms`;
  if (a >= 1e3) return `${trim(ns / 1e3)} µs`;
  return `${trim(ns)} ns`;
}

/** A point in simulated time to the nanosecond, in ms (what the clocks show). */
export function fmtTime(ns: number): string {
  return `${(ns / 1e6).toFixed(6).replace(/\.?0+$/, '')} ms`;
}

/** An axis tick: the unit of the range's end, with as many decimals as the tick step needs. */
export function fmtTick(t: number, stepNs: number, endNs: number): string {
  const [unit, name] = endNs >= 1e9 ? [1e9, 's'] : endNs >= 1e6 ? [1e6, 'ms'] : endNs >= 1e3 ? [1e3, 'µs'] : [1, 'ns'];
  const decimals = Math.max(0, Math.min(9, Math.ceil(-Math.log10(stepNs / unit) - 1e-9)));
  return `${(t / unit).toFixed(decimals)} ${name}`;
}

function trim(v: number): string {
  const s = Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 10 ? v.toFixed(2) : v.toFixed(3);
  return s.replace(/\.?0+$/, '');
}

export const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}`;

/** Addresses arrive as "0xfffff80012340000"; WinDbg shows them with a backtick in the middle. */
export function fmtAddress(a: string): string {
  const digits = a.replace(/^0x/i, '');
  if (digits.length <= 8) return digits === '0' ? '0' : digits;
  const padded = digits.padStart(16, '0');
  return `${padded.slice(0, 8)}\`${padded.slice(8)}`;
}

/** Name and number together, as !irql prints it: "DISPATCH_LEVEL (2)". */
export const irqlLabel = (name: string, irql: number): string => `${name} (${irql})`;

/** The CSS class family an IRQL is drawn with (passive, apc, dispatch, device, high). */
export function irqlClass(irql: number): string {
  if (irql === 0) return 'irql-passive';
  if (irql === 1) return 'irql-apc';
  if (irql === 2) return 'irql-dispatch';
  if (irql <= 11) return 'irql-device';
  return 'irql-high';
}
