// The #if / #elif evaluator (C99 6.10.1): a constant expression over fully macro-expanded
// tokens, computed in intmax_t / uintmax_t (64-bit). `defined` was already replaced by 0/1;
// any identifier left is 0. Recursive descent as in chibicc, with a nesting bound so a
// pathological line gives a diagnostic instead of a stack overflow.

import type { DiagnosticBag } from './diagnostics';
import { decodeCharLiteral, isFloatLiteral, parseIntegerLiteral } from './literal';
import { type Token, TokenKind } from './token';

/** A value of the #if arithmetic: 64-bit signed (intmax_t) or unsigned (uintmax_t). */
interface Value {
  v: bigint;
  u: boolean;
}

const MAX_NESTING = 1000;

/** Evaluate a #if expression; errors are reported at `at` (the directive name) or the bad token. */
export function evaluateCondition(tokens: Token[], diags: DiagnosticBag, at: Token): boolean {
  if (tokens.length === 0) {
    diags.error(at, `#${at.text === 'elif' ? 'elif' : 'if'} with no expression`);
    return false;
  }
  const e = new Evaluator(tokens, diags, at);
  const r = e.expr();
  if (!e.failed && e.pos < tokens.length) {
    const t = tokens[e.pos];
    e.fail(t, t.text === ')' ? "missing '(' in expression" : `missing binary operator before token "${t.text}"`);
  }
  return !e.failed && r.v !== 0n;
}

const BINARY_PREC: Record<string, number> = {
  '*': 10, '/': 10, '%': 10,
  '+': 9, '-': 9,
  '<<': 8, '>>': 8,
  '<': 7, '>': 7, '<=': 7, '>=': 7,
  '==': 6, '!=': 6,
  '&': 5,
  '^': 4,
  '|': 3,
  '&&': 2,
  '||': 1,
};

const ZERO: Value = { v: 0n, u: false };

function signed(v: bigint): Value {
  return { v: BigInt.asIntN(64, v), u: false };
}

function make(v: bigint, u: boolean): Value {
  return u ? { v: BigInt.asUintN(64, v), u: true } : signed(v);
}

function bool(b: boolean): Value {
  return { v: b ? 1n : 0n, u: false };
}

class Evaluator {
  pos = 0;
  failed = false;
  /** > 0 inside an operand that is not evaluated (`0 && x`): no division-by-zero errors. */
  private skip = 0;
  private depth = 0;

  constructor(
    private readonly toks: Token[],
    private readonly diags: DiagnosticBag,
    private readonly at: Token,
  ) {}

  fail(tok: Token, msg: string): Value {
    if (!this.failed) this.diags.error(tok, msg);
    this.failed = true;
    return ZERO;
  }

  private peek(): Token | undefined {
    return this.toks[this.pos];
  }

  private isPunct(text: string): boolean {
    const t = this.toks[this.pos];
    return t !== undefined && t.kind === TokenKind.Punct && t.text === text;
  }

  private last(): Token {
    return this.toks[this.pos - 1] ?? this.at;
  }

  // expr = conditional ("," conditional)*
  expr(): Value {
    let v = this.conditional();
    while (!this.failed && this.isPunct(',')) {
      this.pos++;
      v = this.conditional();
    }
    return v;
  }

  // conditional = binary(1) ("?" expr ":" conditional)?
  private conditional(): Value {
    if (++this.depth > MAX_NESTING) return this.fail(this.peek() ?? this.at, '#if expression nested too deeply');
    const c = this.binary(1);
    let r = c;
    if (!this.failed && this.isPunct('?')) {
      this.pos++;
      const take = c.v !== 0n;
      if (!take) this.skip++;
      const a = this.expr();
      if (!take) this.skip--;
      if (!this.failed && !this.isPunct(':')) {
        this.depth--;
        return this.fail(this.peek() ?? this.last(), "'?' without following ':'");
      }
      this.pos++;
      if (take) this.skip++;
      const b = this.conditional();
      if (take) this.skip--;
      // Usual arithmetic conversions between the two arms.
      const u = a.u || b.u;
      r = make(take ? a.v : b.v, u);
    }
    this.depth--;
    return r;
  }

  // binary(p) = unary (op unary)* for operators of precedence ≥ p (precedence climbing)
  private binary(minPrec: number): Value {
    let lhs = this.unary();
    for (;;) {
      if (this.failed) return ZERO;
      const t = this.peek();
      if (t === undefined || t.kind !== TokenKind.Punct) return lhs;
      const prec = BINARY_PREC[t.text];
      if (prec === undefined || prec < minPrec) return lhs;
      this.pos++;
      if (t.text === '&&' || t.text === '||') {
        const shortCircuit = t.text === '&&' ? lhs.v === 0n : lhs.v !== 0n;
        if (shortCircuit) this.skip++;
        const rhs = this.binary(prec + 1);
        if (shortCircuit) this.skip--;
        lhs = bool(t.text === '&&' ? lhs.v !== 0n && rhs.v !== 0n : lhs.v !== 0n || rhs.v !== 0n);
        continue;
      }
      if (this.peek() === undefined) return this.fail(t, `operator '${t.text}' has no right operand`);
      const rhs = this.binary(prec + 1);
      lhs = this.apply(t, lhs, rhs);
    }
  }

  private apply(op: Token, a: Value, b: Value): Value {
    if (op.text === '<<' || op.text === '>>') return shift(op.text === '<<', a, b);
    const u = a.u || b.u; // usual arithmetic conversions: either unsigned → both unsigned
    const x = u ? BigInt.asUintN(64, a.v) : a.v;
    const y = u ? BigInt.asUintN(64, b.v) : b.v;
    switch (op.text) {
      case '*': return make(x * y, u);
      case '/':
      case '%':
        if (y === 0n) return this.skip > 0 ? make(0n, u) : this.fail(op, 'division by zero in #if');
        return make(op.text === '/' ? x / y : x % y, u);
      case '+': return make(x + y, u);
      case '-': return make(x - y, u);
      case '<': return bool(x < y);
      case '>': return bool(x > y);
      case '<=': return bool(x <= y);
      case '>=': return bool(x >= y);
      case '==': return bool(x === y);
      case '!=': return bool(x !== y);
      case '&': return make(x & y, u);
      case '^': return make(x ^ y, u);
      case '|': return make(x | y, u);
    }
    return this.fail(op, `token "${op.text}" is not valid in preprocessor expressions`);
  }

  // unary = ("+" | "-" | "~" | "!") unary | primary
  private unary(): Value {
    const t = this.peek();
    if (t === undefined) return this.fail(this.last(), '#if with no expression');
    if (t.kind === TokenKind.Punct && (t.text === '+' || t.text === '-' || t.text === '~' || t.text === '!')) {
      if (++this.depth > MAX_NESTING) return this.fail(t, '#if expression nested too deeply');
      this.pos++;
      const v = this.unary();
      this.depth--;
      if (t.text === '+') return v;
      if (t.text === '-') return make(-v.v, v.u);
      if (t.text === '~') return make(~v.v, v.u);
      return bool(v.v === 0n);
    }
    return this.primary();
  }

  // primary = "(" expr ")" | number | char | identifier
  private primary(): Value {
    const t = this.toks[this.pos++];
    switch (t.kind) {
      case TokenKind.Punct:
        if (t.text === '(') {
          if (this.isPunct(')')) return this.fail(t, "missing expression between '(' and ')'");
          const v = this.expr();
          if (this.failed) return v;
          if (!this.isPunct(')')) return this.fail(this.peek() ?? this.last(), "missing ')' in expression");
          this.pos++;
          return v;
        }
        break;
      case TokenKind.Number:
        return this.number(t);
      case TokenKind.Char: {
        const c = decodeCharLiteral(t.text);
        if ('error' in c) return this.fail(t, c.error);
        return signed(BigInt(c.value));
      }
      case TokenKind.Identifier:
        return ZERO; // C99 6.10.1p4: remaining identifiers (true/false too) are 0
    }
    return this.fail(t, `token "${t.text}" is not valid in preprocessor expressions`);
  }

  private number(t: Token): Value {
    if (isFloatLiteral(t.text)) return this.fail(t, 'floating constant in preprocessor expression');
    const n = parseIntegerLiteral(t.text);
    if ('error' in n) return this.fail(t, n.error);
    // Too big for intmax_t → uintmax_t (gcc: "integer constant is so large that it is unsigned").
    return { v: n.value, u: n.unsigned || n.value > 0x7fffffffffffffffn };
  }
}

// gcc semantics: a negative count shifts the other way; ≥ 64 shifts everything out.
function shift(left: boolean, a: Value, b: Value): Value {
  let n = b.u ? BigInt.asUintN(64, b.v) : b.v;
  if (n < 0n) {
    left = !left;
    n = -n;
  }
  if (left) return n >= 64n ? make(0n, a.u) : make(a.v << n, a.u);
  if (a.u) return n >= 64n ? make(0n, true) : make(BigInt.asUintN(64, a.v) >> n, true);
  return n >= 64n ? signed(a.v < 0n ? -1n : 0n) : signed(a.v >> n);
}
