// Traversals of the typed AST shared by its consumers (code generation, loading, tests).

import type { Expr, Stmt } from './ast';

/** The direct operands of an expression, in evaluation order where C defines one. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'num':
    case 'fnum':
    case 'str':
    case 'var':
    case 'complit':
      return [];
    case 'neg':
    case 'bitnot':
    case 'lognot':
    case 'cast':
    case 'decay':
    case 'deref':
    case 'addr':
      return [e.operand];
    case 'binary':
    case 'logand':
    case 'logor':
    case 'comma':
    case 'ptrdiff':
      return [e.left, e.right];
    case 'ptradd':
      return [e.ptr, e.index];
    case 'assign':
    case 'opassign':
      return [e.target, e.value];
    case 'preinc':
    case 'postinc':
      return [e.target];
    case 'cond':
      return [e.cond, e.then, e.else];
    case 'member':
      return [e.object];
    case 'call':
      return [e.callee, ...e.args];
    case 'builtin':
      return e.args;
  }
}

/** Calls `f` on each top-level expression of `s` and its nested statements (declaration
 *  initializers included), in source order. */
export function forEachStmtExpr(s: Stmt | undefined, f: (e: Expr) => void): void {
  if (!s) return;
  switch (s.kind) {
    case 'expr':
      f(s.expr);
      return;
    case 'decl':
      for (const d of s.decls) d.init?.items.forEach((i) => i.kind === 'expr' && f(i.expr));
      return;
    case 'block':
      for (const b of s.body) forEachStmtExpr(b, f);
      return;
    case 'if':
      f(s.cond);
      forEachStmtExpr(s.then, f);
      forEachStmtExpr(s.else, f);
      return;
    case 'while':
    case 'do':
      f(s.cond);
      forEachStmtExpr(s.body, f);
      return;
    case 'for':
      forEachStmtExpr(s.init, f);
      if (s.cond) f(s.cond);
      if (s.step) f(s.step);
      forEachStmtExpr(s.body, f);
      return;
    case 'switch':
      f(s.cond);
      forEachStmtExpr(s.body, f);
      return;
    case 'case':
    case 'default':
    case 'label':
      forEachStmtExpr(s.body, f);
      return;
    case 'return':
      if (s.value) f(s.value);
      return;
    default:
      return;
  }
}
