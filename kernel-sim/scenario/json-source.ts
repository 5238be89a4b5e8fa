// A strict JSON reader that remembers where every value and property name starts, keyed by
// JSON pointer, so project errors can carry line/column (JSON.parse's messages do not give
// positions reliably across Node versions, and never for semantic errors).

/** 1-based line and column (UTF-16 units), plus the 0-based offset. */
export interface SourcePos {
  line: number;
  column: number;
  offset: number;
}

export interface JsonSource {
  value?: unknown;
  /** Where the value at each pointer starts. */
  valuePos: Map<string, SourcePos>;
  /** Where the property name of each object member starts (same pointer as its value). */
  keyPos: Map<string, SourcePos>;
  /** Pointers of members whose name repeats an earlier one in the same object (last wins). */
  duplicateKeys: string[];
  syntaxError?: { message: string; pos: SourcePos };
}

/** RFC 6901 escaping of one reference token. */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const MAX_DEPTH = 256; // guards the recursion against pathological nesting

class SyntaxFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function readJson(text: string): JsonSource {
  const out: JsonSource = { valuePos: new Map(), keyPos: new Map(), duplicateKeys: [] };
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const posAt = (offset: number): SourcePos => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1, offset };
  };
  const p = new Reader(text, out, posAt);
  try {
    p.skipSpace();
    if (p.i >= text.length) throw new SyntaxFailure('the file is empty (expected a JSON object)', p.i);
    out.value = p.value('', 0);
    p.skipSpace();
    if (p.i < text.length) throw new SyntaxFailure('unexpected text after the end of the JSON value', p.i);
  } catch (e) {
    if (!(e instanceof SyntaxFailure)) throw e;
    out.value = undefined;
    out.syntaxError = { message: e.message, pos: posAt(e.offset) };
  }
  return out;
}

class Reader {
  i = 0;

  constructor(
    private readonly s: string,
    private readonly out: JsonSource,
    private readonly posAt: (offset: number) => SourcePos,
  ) {
    if (s.charCodeAt(0) === 0xfeff) this.i = 1; // a byte-order mark some editors write
  }

  skipSpace(): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else if (c === '/' && (this.s[this.i + 1] === '/' || this.s[this.i + 1] === '*')) {
        throw new SyntaxFailure('comments are not allowed in JSON', this.i);
      } else return;
    }
  }

  value(ptr: string, depth: number): unknown {
    if (depth > MAX_DEPTH) throw new SyntaxFailure('nesting is too deep', this.i);
    this.out.valuePos.set(ptr, this.posAt(this.i));
    const c = this.s[this.i];
    if (c === '{') return this.object(ptr, depth);
    if (c === '[') return this.array(ptr, depth);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    if (c === undefined) throw new SyntaxFailure('unexpected end of file (expected a value)', this.i);
    if (c === "'") throw new SyntaxFailure("strings must use double quotes (\")", this.i);
    throw new SyntaxFailure(`unexpected character '${c}' (expected a value)`, this.i);
  }

  private object(ptr: string, depth: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const seen = new Set<string>();
    this.i++; // {
    this.skipSpace();
    if (this.s[this.i] === '}') {
      this.i++;
      return obj;
    }
    let comma = -1;
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] !== '"') {
        if (this.s[this.i] === '}' && comma >= 0) throw new SyntaxFailure('trailing comma before }', comma);
        if (this.i >= this.s.length) throw new SyntaxFailure('unexpected end of file inside an object', this.i);
        throw new SyntaxFailure('expected a property name in double quotes', this.i);
      }
      const keyAt = this.i;
      const key = this.string();
      const child = `${ptr}/${pointerToken(key)}`;
      if (seen.has(key)) this.out.duplicateKeys.push(child);
      seen.add(key);
      this.out.keyPos.set(child, this.posAt(keyAt));
      this.skipSpace();
      if (this.s[this.i] !== ':') throw new SyntaxFailure(`expected ':' after property name "${key}"`, this.i);
      this.i++;
      this.skipSpace();
      setMember(obj, key, this.value(child, depth + 1));
      this.skipSpace();
      const c = this.s[this.i];
      if (c === ',') {
        comma = this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        return obj;
      }
      if (c === undefined) throw new SyntaxFailure('unexpected end of file inside an object (missing })', this.i);
      throw new SyntaxFailure("expected ',' or '}' after a property value", this.i);
    }
  }

  private array(ptr: string, depth: number): unknown[] {
    const arr: unknown[] = [];
    this.i++; // [
    this.skipSpace();
    if (this.s[this.i] === ']') {
      this.i++;
      return arr;
    }
    let comma = -1;
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === ']' && comma >= 0) throw new SyntaxFailure('trailing comma before ]', comma);
      arr.push(this.value(`${ptr}/${arr.length}`, depth + 1));
      this.skipSpace();
      const c = this.s[this.i];
      if (c === ',') {
        comma = this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        return arr;
      }
      if (c === undefined) throw new SyntaxFailure('unexpected end of file inside an array (missing ])', this.i);
      throw new SyntaxFailure("expected ',' or ']' after an array element", this.i);
    }
  }

  private string(): string {
    const start = this.i;
    this.i++; // "
    let out = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || c === '\n') throw new SyntaxFailure('unterminated string', start);
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c < ' ') throw new SyntaxFailure('control character in a string (write it as an escape such as \\n or \\t)', this.i);
      if (c !== '\\') {
        out += c;
        this.i++;
        continue;
      }
      const e = this.s[this.i + 1];
      if (e !== undefined && Object.hasOwn(ESCAPES, e)) {
        out += ESCAPES[e];
        this.i += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.s.slice(this.i + 2, this.i + 6))) {
        out += String.fromCharCode(parseInt(this.s.slice(this.i + 2, this.i + 6), 16));
        this.i += 6;
      } else {
        // Windows paths are the usual culprit: "C:\drivers" must be written "C:\\drivers".
        throw new SyntaxFailure(`invalid escape '\\${e ?? ''}' in a string (write a backslash as \\\\)`, this.i);
      }
    }
  }

  private number(): number {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) throw new SyntaxFailure('invalid number', this.i);
    const next = this.s[this.i + m[0].length];
    if (next !== undefined && /[0-9A-Za-z.]/.test(next)) {
      const hint = m[0] === '0' && (next === 'x' || next === 'X') ? ' (write hex numbers as strings: "0x91")' : '';
      throw new SyntaxFailure(`invalid number${hint}`, this.i);
    }
    this.i += m[0].length;
    return Number(m[0]);
  }
}

// `obj["__proto__"] = v` would change the prototype instead of adding a member.
function setMember(obj: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
  else obj[key] = v;
}
