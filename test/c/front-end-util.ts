// Small helpers for front-end tests: compile C held in memory, find things in the Program.

import { compile, MemoryFileHost, formatDiagnostic, type CompileResult } from '../../kernel-sim/c';
import type { FuncObj, Stmt, VarObj } from '../../kernel-sim/c/ast';
import type { CType, RecordType } from '../../kernel-sim/c/types';
import { loadSimulatedHeaders } from '../../node-host/files';

const noHeaders = { get: (): string | undefined => undefined };
let wdkHeaders: ReturnType<typeof loadSimulatedHeaders> | undefined;

/** Compiles `main.c` (plus other in-memory files) without the simulated headers unless asked. */
export function compileText(src: string, files: Record<string, string> = {}, withHeaders = false): CompileResult {
  const host = new MemoryFileHost({ '/src/main.c': src, ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`/src/${k}`, v])) });
  wdkHeaders ??= withHeaders ? loadSimulatedHeaders() : undefined;
  return compile(['/src/main.c'], { host, simulatedHeaders: withHeaders ? (wdkHeaders ?? loadSimulatedHeaders()) : noHeaders, includePaths: ['/src/inc'] });
}

export function messages(r: CompileResult, severity?: 'error' | 'warning'): string[] {
  return r.diagnostics.filter((d) => !severity || d.severity === severity).map((d) => formatDiagnostic(d));
}

export function fn(r: CompileResult, name: string): FuncObj {
  const f = r.program.functions.find((x) => x.name === name);
  if (!f) throw new Error(`no function ${name}`);
  return f;
}

export function global(r: CompileResult, name: string): VarObj {
  const g = r.program.globals.find((x) => x.name === name);
  if (!g) throw new Error(`no global ${name}`);
  return g;
}

export function typedef(r: CompileResult, name: string): CType {
  const t = r.program.typedefs.get(name);
  if (!t) throw new Error(`no typedef ${name}`);
  return t;
}

export function record(r: CompileResult, tag: string): RecordType {
  const t = r.program.tags.get(tag);
  if (!t || (t.kind !== 'struct' && t.kind !== 'union')) throw new Error(`no struct/union ${tag}`);
  return t;
}

/** Walks every statement of a function body in source order. */
export function statements(f: FuncObj): Stmt[] {
  const out: Stmt[] = [];
  const visit = (s: Stmt | undefined): void => {
    if (!s) return;
    out.push(s);
    switch (s.kind) {
      case 'block':
        s.body.forEach(visit);
        break;
      case 'if':
        visit(s.then);
        visit(s.else);
        break;
      case 'while':
      case 'do':
      case 'switch':
      case 'case':
      case 'default':
      case 'label':
        visit(s.body);
        break;
      case 'for':
        visit(s.init);
        visit(s.body);
        break;
    }
  };
  visit(f.body);
  return out;
}
