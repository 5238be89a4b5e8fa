// Completions for the Debug Console and watch: C identifiers in scope (locals, parameters,
// globals, functions, enum constants, type names) and, after `.` or `->`, the members of the
// object the expression before it denotes.

import { isRecord, type CType, type RecordType, tagRoot } from '../c/types';
import { evaluate, type EvalScope } from './evaluate';
import { membersOf } from './values';

export interface Completion {
  label: string;
  type: 'variable' | 'function' | 'field' | 'value' | 'class' | 'keyword';
  detail?: string;
  /** Characters before the cursor the completion replaces. */
  length: number;
}

export function completeExpression(text: string, column: number, scope: EvalScope): Completion[] {
  const before = text.slice(0, Math.max(0, column - 1));
  const m = /([A-Za-z_]\w*)?$/.exec(before);
  const word = m?.[1] ?? '';
  const head = before.slice(0, before.length - word.length);
  const access = /(->|\.)\s*$/.exec(head);
  if (access) {
    const objectText = objectBefore(head.slice(0, head.length - access[0].length));
    const r = evaluate(objectText, scope);
    if (!r.ok) return [];
    let t: CType = r.value.type;
    if (access[1] === '->' && t.kind === 'ptr') t = t.base;
    if (isRecord(t) && !t.complete) t = tagRoot(t as RecordType);
    if (!isRecord(t)) return [];
    return membersOf(t)
      .filter((x) => x.name.startsWith(word))
      .map((x) => ({ label: x.name, type: 'field' as const, detail: typeText(x.type), length: word.length }));
  }
  const out = new Map<string, Completion>();
  const add = (label: string, type: Completion['type'], detail?: string): void => {
    if (label.startsWith(word) && !out.has(label)) out.set(label, { label, type, length: word.length, ...(detail ? { detail } : {}) });
  };
  for (const { v } of scope.locals) add(v.name, 'variable', typeText(v.type));
  for (const g of scope.program.globals) if (!g.pos.file.system) add(g.name, 'variable', typeText(g.type));
  for (const f of scope.program.functions) if (!f.pos.file.system || word.length >= 2) add(f.name, 'function');
  if (word.length >= 2) {
    for (const [name] of scope.program.enumConstants) add(name, 'value');
    for (const [name] of scope.program.typedefs) add(name, 'class');
  }
  add('sizeof', 'keyword');
  return [...out.values()].sort((a, b) => a.label.localeCompare(b.label)).slice(0, 500);
}

/** The operand expression that ends at the end of `text` ("a->b[i]" in "x + a->b[i]"). */
function objectBefore(text: string): string {
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text[i];
    if (c === ')' || c === ']') depth++;
    else if (c === '(' || c === '[') {
      if (depth === 0) return text.slice(i + 1).trim();
      depth--;
    } else if (depth === 0 && /[\s+\-*/%=<>!&|^?:,~]/.test(c)) {
      // `->` belongs to the operand.
      if (c === '>' && text[i - 1] === '-') {
        i--;
        continue;
      }
      return text.slice(i + 1).trim();
    }
  }
  return text.trim();
}

function typeText(t: CType): string {
  return t.typedefName ?? (isRecord(t) ? `${t.kind} ${t.tag ?? ''}`.trim() : t.kind === 'ptr' ? `${typeText(t.base)} *` : t.kind === 'int' ? t.name : t.kind);
}
