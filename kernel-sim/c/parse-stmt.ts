// Statements (C11 6.8) and function bodies. Each statement records the user's position
// (through macros) so the engine can stop there; a syntax error is reported and the parser
// resynchronises at the next ';' or '}' so one mistake gives one diagnostic.

import type { BlockStmt, CaseStmt, DeclStmt, DefaultStmt, Expr, FuncObj, Initializer, LabelStmt, Stmt, VarObj } from './ast';
import { assignConvert, rvalue, requireScalar, wrapInt } from './checker';
import { declaration, declspec, isTypenameStart, newVar, skipTo, staticAssert, type Declarator } from './parse-decl';
import { constExpr, fullExpr } from './parse-expr';
import { type FunctionContext, type ParserState, SyntaxPanic, skipGroup } from './parse-state';
import { type Token, TokenKind, userPos } from './token';
import { isInteger, promote, typeToString, isComplete } from './types';

// compound-stmt = "{" (declaration | stmt)* "}"
export function compoundStmt(p: ParserState, newScope = true): BlockStmt {
  const open = p.expect('{');
  p.enter(open);
  if (newScope) p.pushScope();
  const body: Stmt[] = [];
  while (!p.is('}')) {
    if (p.atEOF()) {
      p.error(open, "expected '}' at end of input (this '{' is not closed)");
      throw new SyntaxPanic(true);
    }
    const start = p.pos;
    try {
      const s = blockItem(p);
      if (s) body.push(s);
    } catch (x) {
      if (!(x instanceof SyntaxPanic) || x.fatal) throw x;
      if (!x.resynced) skipTo(p, start, [';', '}'], '}');
    }
  }
  const close = p.next();
  if (newScope) p.popScope();
  p.leave();
  return { kind: 'block', body, pos: userPos(open), tok: open, endPos: p.posOf(close) };
}

function blockItem(p: ParserState): Stmt | undefined {
  const t = p.tok;
  if (t.kind === TokenKind.Identifier) {
    if (t.text === '_Static_assert' || t.text === 'static_assert') {
      staticAssert(p);
      return undefined;
    }
    // A label `T:` where T is a typedef name is still a label.
    if (isTypenameStart(p, t) && !p.isAt(1, ':')) return localDeclaration(p);
  }
  return statement(p);
}

function localDeclaration(p: ParserState): Stmt | undefined {
  const tok = p.tok;
  const spec = declspec(p, true);
  const decls: { obj: VarObj; init: Initializer | undefined }[] = [];
  const r = declaration(p, spec, decls);
  if (r) p.fail(p.tok, 'function definition is not allowed here');
  if (decls.length === 0) return undefined;
  const s: DeclStmt = { kind: 'decl', decls, pos: userPos(tok), tok: tok };
  return s;
}

export function statement(p: ParserState): Stmt {
  const t = p.tok;
  if (t.kind === TokenKind.Punct) {
    if (t.text === '{') return compoundStmt(p);
    if (t.text === ';') {
      p.next();
      return { kind: 'null', pos: userPos(t), tok: t };
    }
  }
  if (t.kind === TokenKind.Identifier) {
    switch (t.text) {
      // Selection and iteration statements are blocks of their own (C99 6.8.4p3, 6.8.5p5):
      // a type declared in the condition does not leak out.
      case 'if':
        return scoped(p, ifStmt);
      case 'while':
        return scoped(p, whileStmt);
      case 'do':
        return scoped(p, doStmt);
      case 'for':
        return forStmt(p);
      case 'switch':
        return scoped(p, switchStmt);
      case 'case':
        return caseStmt(p);
      case 'default':
        return defaultStmt(p);
      case 'break':
      case 'continue':
        return jumpStmt(p);
      case 'goto':
        return gotoStmt(p);
      case 'return':
        return returnStmt(p);
      case '__try':
        return unsupportedTry(p);
      case '__leave':
        p.fail(t, "'__leave' outside of a __try block");
        break;
      case '__asm':
      case '_asm':
      case 'asm':
        p.fail(t, 'inline assembly is not supported (x64 MSVC does not support it either)');
    }
    if (p.isAt(1, ':') && !p.isAt(2, ':')) return labelStmt(p);
  }
  const e = fullExpr(p);
  p.expect(';', 'after expression');
  return { kind: 'expr', expr: e, pos: userPos(t), tok: t };
}

function scoped(p: ParserState, parse: (p: ParserState) => Stmt): Stmt {
  p.pushScope();
  try {
    return parse(p);
  } finally {
    p.popScope();
  }
}

/** `__try {...} __except (...) {...}` / `__finally {...}`: one error, the whole construct skipped. */
function unsupportedTry(p: ParserState): Stmt {
  const t = p.next();
  p.error(t, 'structured exception handling (__try/__except/__finally) is not supported');
  if (p.is('{')) skipGroup(p);
  if (p.consume('__except')) {
    if (p.is('(')) skipGroup(p);
    if (p.is('{')) skipGroup(p);
  } else if (p.consume('__finally')) {
    if (p.is('{')) skipGroup(p);
  }
  return { kind: 'null', pos: userPos(t), tok: t };
}

function condition(p: ParserState, what: string): Expr {
  p.expect('(', `after '${what}'`);
  const tok = p.tok;
  const e = rvalue(fullExpr(p));
  requireScalar(p, e, tok);
  p.expect(')');
  return e;
}

function nested(p: ParserState, tok: Token): Stmt {
  p.enter(tok);
  const s = statement(p);
  p.leave();
  return s;
}

function ifStmt(p: ParserState): Stmt {
  const t = p.next();
  const cond = condition(p, 'if');
  const then = nested(p, t);
  const els = p.consume('else') ? nested(p, t) : undefined;
  return { kind: 'if', cond, then, else: els, pos: userPos(t), tok: t };
}

function loopBody(p: ParserState, tok: Token): Stmt {
  const fn = ctx(p, tok);
  fn.loopDepth++;
  fn.breakDepth++;
  try {
    return nested(p, tok);
  } finally {
    fn.loopDepth--;
    fn.breakDepth--;
  }
}

function whileStmt(p: ParserState): Stmt {
  const t = p.next();
  const cond = condition(p, 'while');
  const body = loopBody(p, t);
  return { kind: 'while', cond, body, pos: userPos(t), tok: t };
}

function doStmt(p: ParserState): Stmt {
  const t = p.next();
  const body = loopBody(p, t);
  p.expect('while', "in 'do' statement");
  const cond = condition(p, 'while');
  p.expect(';', "after 'do' statement");
  return { kind: 'do', cond, body, pos: userPos(t), tok: t };
}

function forStmt(p: ParserState): Stmt {
  const t = p.next();
  p.expect('(', "after 'for'");
  p.pushScope();
  try {
    let init: Stmt | undefined;
    if (p.consume(';')) init = undefined;
    else if (isTypenameStart(p, p.tok)) init = localDeclaration(p);
    else {
      const it = p.tok;
      init = { kind: 'expr', expr: fullExpr(p), pos: userPos(it), tok: it };
      p.expect(';');
    }
    let cond: Expr | undefined;
    if (!p.is(';')) {
      const ct = p.tok;
      cond = rvalue(fullExpr(p));
      requireScalar(p, cond, ct);
    }
    p.expect(';');
    const step = p.is(')') ? undefined : fullExpr(p);
    p.expect(')');
    const body = loopBody(p, t);
    return { kind: 'for', init, cond, step, body, pos: userPos(t), tok: t };
  } finally {
    p.popScope();
  }
}

function switchStmt(p: ParserState): Stmt {
  const t = p.next();
  p.expect('(', "after 'switch'");
  const ct = p.tok;
  let cond = rvalue(fullExpr(p));
  p.expect(')');
  if (!isInteger(cond.type)) p.error(ct, `statement requires expression of integer type ('${typeToString(cond.type)}' invalid)`);
  else cond = assignConvert(p, cond, promote(cond.type), ct, 'in switch');
  const sw = { kind: 'switch' as const, cond, body: undefined as unknown as Stmt, cases: [] as CaseStmt[], defaultCase: undefined as DefaultStmt | undefined, pos: userPos(t), tok: t };
  const fn = ctx(p, t);
  fn.switches.push(sw);
  fn.breakDepth++;
  try {
    sw.body = nested(p, t);
  } finally {
    fn.switches.pop();
    fn.breakDepth--;
  }
  return sw;
}

function caseStmt(p: ParserState): Stmt {
  const t = p.next();
  const fn = ctx(p, t);
  const sw = fn.switches[fn.switches.length - 1];
  let low = constExpr(p, 'case label');
  let high = low;
  if (p.consume('...')) high = constExpr(p, 'case range end');
  p.expect(':', 'after case label');
  const body = nested(p, t);
  if (!sw) {
    p.error(t, "'case' statement not in switch statement");
    return body;
  }
  low = wrapInt(low, sw.cond.type);
  high = wrapInt(high, sw.cond.type);
  for (const c of sw.cases) {
    if (low <= c.high && c.low <= high) {
      p.error(t, `duplicate case value '${low}'`);
      break;
    }
  }
  const s: CaseStmt = { kind: 'case', low, high, body, pos: userPos(t), tok: t };
  sw.cases.push(s);
  return s;
}

function defaultStmt(p: ParserState): Stmt {
  const t = p.next();
  p.expect(':', "after 'default'");
  const fn = ctx(p, t);
  const sw = fn.switches[fn.switches.length - 1];
  const body = nested(p, t);
  if (!sw) {
    p.error(t, "'default' statement not in switch statement");
    return body;
  }
  if (sw.defaultCase) p.error(t, "multiple default labels in one switch");
  const s: DefaultStmt = { kind: 'default', body, pos: userPos(t), tok: t };
  sw.defaultCase = s;
  return s;
}

function jumpStmt(p: ParserState): Stmt {
  const t = p.next();
  p.expect(';', `after '${t.text}'`);
  const fn = ctx(p, t);
  if (t.text === 'break' && fn.breakDepth === 0) p.error(t, "'break' statement not in loop or switch statement");
  if (t.text === 'continue' && fn.loopDepth === 0) p.error(t, "'continue' statement not in loop statement");
  return { kind: t.text as 'break' | 'continue', pos: userPos(t), tok: t };
}

function gotoStmt(p: ParserState): Stmt {
  const t = p.next();
  const name = p.next();
  if (name.kind !== TokenKind.Identifier) p.fail(name, "expected identifier after 'goto'");
  p.expect(';', "after 'goto' statement");
  const s = { kind: 'goto' as const, name: name.text, pos: userPos(name), tok: name };
  ctx(p, t).gotos.push(s);
  return s;
}

function labelStmt(p: ParserState): Stmt {
  const t = p.next();
  p.next(); // ':'
  const fn = ctx(p, t);
  // A label at the end of a block labels an empty statement (C23; gcc and MSVC accept it).
  const body: Stmt = p.is('}') ? { kind: 'null', pos: userPos(t), tok: t } : nested(p, t);
  const s: LabelStmt = { kind: 'label', name: t.text, body, pos: userPos(t), tok: t };
  if (fn.labels.has(t.text)) p.error(t, `redefinition of label '${t.text}'`);
  else fn.labels.set(t.text, s);
  return s;
}

function returnStmt(p: ParserState): Stmt {
  const t = p.next();
  const fn = ctx(p, t);
  const ret = fn.fn.type.ret;
  if (p.consume(';')) {
    if (ret.kind !== 'void') p.warning(t, `non-void function '${fn.fn.name}' should return a value`);
    return { kind: 'return', value: undefined, pos: userPos(t), tok: t };
  }
  const et = p.tok;
  const e = fullExpr(p);
  p.expect(';', "after 'return' statement");
  let value: Expr | undefined;
  if (ret.kind === 'void') {
    if (e.type.kind !== 'void') p.warning(et, `void function '${fn.fn.name}' should not return a value`);
    value = e;
  } else {
    value = assignConvert(p, e, ret, et, 'returning');
  }
  return { kind: 'return', value, pos: userPos(t), tok: t };
}

function ctx(p: ParserState, tok: Token): FunctionContext {
  if (!p.fn) p.fail(tok, 'statement outside of a function');
  return p.fn;
}

/** The body of a function definition: parameters become locals of its outermost scope. */
export function functionBody(p: ParserState, fn: FuncObj, d: Declarator): void {
  const nameTok = d.name as Token;
  const earlier = p.table.definedIn.get(fn);
  // An inline function defined in a header is compiled in every unit that includes it;
  // like MSVC's linker, keep one definition.
  const duplicateInline = earlier !== undefined && earlier !== p.unit && fn.isInline;
  if (duplicateInline) {
    const keep = { body: fn.body, params: fn.params, locals: fn.locals, pos: fn.pos, endPos: fn.endPos, type: fn.type };
    functionBodyInto(p, fn, d);
    Object.assign(fn, keep);
    return;
  }
  if (fn.body) p.error(nameTok, `redefinition of '${fn.name}'`);
  p.table.definedIn.set(fn, p.unit);
  functionBodyInto(p, fn, d);
}

function functionBodyInto(p: ParserState, fn: FuncObj, d: Declarator): void {
  const nameTok = d.name as Token;
  if (fn.type.ret.kind !== 'void' && !isComplete(fn.type.ret)) p.error(nameTok, `incomplete result type '${typeToString(fn.type.ret)}' in function definition`);
  const type = d.type.kind === 'func' ? d.type : fn.type;
  fn.type = type;
  fn.params = [];
  fn.locals = [];
  fn.pos = p.posOf(nameTok);
  const context: FunctionContext = { fn, labels: new Map(), gotos: [], switches: [], loopDepth: 0, breakDepth: 0 };
  p.fn = context;
  p.pushScope();
  try {
    for (const prm of type.params) {
      if (!prm.name) {
        p.diags.at('error', prm.pos ?? fn.pos, 'parameter name omitted');
        continue;
      }
      if (p.scope.names.has(prm.name)) p.diags.at('error', prm.pos ?? fn.pos, `redefinition of parameter '${prm.name}'`);
      const v = newVar(p, prm.name, prm.type, 'param', nameTok, { irql: prm.irql ?? [] });
      if (prm.pos) v.pos = prm.pos;
      v.owner = fn;
      v.defined = true;
      fn.params.push(v);
      p.declare(prm.name, { kind: 'var', obj: v });
    }
    const body = compoundStmt(p, false);
    fn.body = body;
    fn.endPos = body.endPos;
    for (const g of context.gotos) {
      const target = context.labels.get(g.name);
      if (target) g.target = target;
      else p.error(g.tok, `use of undeclared label '${g.name}'`);
    }
  } finally {
    p.popScope();
    p.fn = undefined;
  }
}
