// Hand-written validation helpers for kdsim.json: each reader checks one JSON value, reports
// problems under its JSON pointer (with the line/column the JSON reader recorded) and
// returns the decoded value, or undefined when absent or invalid so callers fall back to a
// default and keep going: one pass reports every problem.

import { pointerToken, type JsonSource, type SourcePos } from './json-source';
import { parseDuration, parseNumber } from './values';

export type Severity = 'error' | 'warning';

export interface ProjectError {
  /** JSON pointer (RFC 6901) of the offending value, e.g. /devices/0/resources/1/vector. */
  path: string;
  message: string;
  severity: Severity;
  /** 1-based position in the project file, when known. */
  line?: number;
  column?: number;
}

export type JsonObject = Record<string, unknown>;

export function child(path: string, key: string | number): string {
  return `${path}/${pointerToken(key)}`;
}

export interface IntRange {
  min?: number;
  max?: number;
}

export class Checker {
  readonly problems: ProjectError[] = [];

  constructor(private readonly src: JsonSource) {}

  error(path: string, message: string, at: 'value' | 'key' = 'value'): void {
    this.report('error', path, message, at);
  }

  warn(path: string, message: string, at: 'value' | 'key' = 'value'): void {
    this.report('warning', path, message, at);
  }

  hasErrors(): boolean {
    return this.problems.some((p) => p.severity === 'error');
  }

  private report(severity: Severity, path: string, message: string, at: 'value' | 'key'): void {
    const pos = this.position(path, at);
    const e: ProjectError = { path, message, severity };
    if (pos) {
      e.line = pos.line;
      e.column = pos.column;
    }
    this.problems.push(e);
  }

  // A missing member has no position of its own: point at the nearest enclosing value.
  private position(path: string, at: 'value' | 'key'): SourcePos | undefined {
    if (at === 'key') {
      const k = this.src.keyPos.get(path);
      if (k) return k;
    }
    for (let p = path; ; p = p.slice(0, p.lastIndexOf('/'))) {
      const v = this.src.valuePos.get(p);
      if (v) return v;
      if (p === '') return undefined;
    }
  }

  /** An object; members not in `known` are reported as warnings (typos are the usual cause).
   *  `what` names the object in those warnings ("a memory resource"). */
  object(v: unknown, path: string, known: readonly string[], what?: string): JsonObject | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.error(path, `must be an object, not ${describe(v)}`);
      return undefined;
    }
    const o = v as JsonObject;
    for (const key of Object.keys(o)) {
      if (known.includes(key)) continue;
      const guess = closest(key, known);
      const where = what ? ` for ${what}` : '';
      this.warn(child(path, key), `unknown property '${key}'${where}${guess ? ` (did you mean '${guess}'?)` : ''}; it is ignored`, 'key');
    }
    return o;
  }

  /** Reports a missing required member; true when present. */
  require(o: JsonObject, key: string, path: string, what: string): boolean {
    if (o[key] !== undefined) return true;
    this.error(child(path, key), `missing required property '${key}' (${what})`);
    return false;
  }

  array(v: unknown, path: string): unknown[] | undefined {
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      this.error(path, `must be an array, not ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  string(v: unknown, path: string, opts: { nonEmpty?: boolean; pattern?: RegExp; patternHint?: string } = {}): string | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      this.error(path, `must be a string, not ${describe(v)}`);
      return undefined;
    }
    if (opts.nonEmpty && v.trim() === '') {
      this.error(path, 'must not be empty');
      return undefined;
    }
    if (opts.pattern && !opts.pattern.test(v)) {
      this.error(path, `'${v}' is not ${opts.patternHint ?? `of the form ${opts.pattern.source}`}`);
      return undefined;
    }
    return v;
  }

  bool(v: unknown, path: string): boolean | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') {
      this.error(path, `must be true or false, not ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  /** An integer given as a JSON number or a hex/decimal string ("0x91"). */
  int(v: unknown, path: string, range: IntRange = {}): number | undefined {
    if (v === undefined) return undefined;
    const n = parseNumber(v);
    if (n === undefined || !Number.isInteger(n)) {
      this.error(path, `must be an integer or a hex string such as "0x10", not ${describe(v)}`);
      return undefined;
    }
    return this.inRange(n, path, range, String(v));
  }

  /** A number of the given unit (fractions allowed), e.g. microseconds. */
  number(v: unknown, path: string, range: IntRange & { positive?: boolean } = {}): number | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.error(path, `must be a number, not ${describe(v)}`);
      return undefined;
    }
    if (range.positive && v <= 0) {
      this.error(path, `must be greater than 0 (got ${v})`);
      return undefined;
    }
    return this.inRange(v, path, range, String(v));
  }

  /** A duration ("10us", "1.5ms", "2s", "500ns" or a number of ns), in ns. */
  duration(v: unknown, path: string, opts: { positive?: boolean } = {}): number | undefined {
    if (v === undefined) return undefined;
    const ns = parseDuration(v);
    if (ns === undefined) {
      this.error(path, `must be a duration such as "10us", "1.5ms", "2s", "500ns" or a number of nanoseconds, not ${describe(v)}`);
      return undefined;
    }
    if (opts.positive && ns <= 0) {
      this.error(path, 'must be longer than 0');
      return undefined;
    }
    return ns;
  }

  oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T | undefined {
    if (v === undefined) return undefined;
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    const guess = typeof v === 'string' ? closest(v, values) : undefined;
    this.error(path, `must be one of ${values.map((x) => `'${x}'`).join(', ')}, not ${describe(v)}${guess ? ` (did you mean '${guess}'?)` : ''}`);
    return undefined;
  }

  private inRange(n: number, path: string, r: IntRange, text: string): number | undefined {
    if ((r.min !== undefined && n < r.min) || (r.max !== undefined && n > r.max)) {
      const lo = r.min !== undefined ? String(r.min) : '';
      const hi = r.max !== undefined && r.max < Number.MAX_SAFE_INTEGER ? String(r.max) : '';
      const span = lo && hi ? `between ${lo} and ${hi}` : lo ? `at least ${lo}` : `at most ${hi}`;
      this.error(path, `must be ${span} (got ${text})`);
      return undefined;
    }
    return n;
  }
}

/** Short description of a JSON value for messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v);
  return `${typeof v} ${String(v)}`;
}

/** The candidate within edit distance 2 (or equal ignoring case), for "did you mean". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = c.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
