// Compiler-style diagnostics as values: `path:line:col: error: message` plus notes.
// Errors are collected, never thrown; a phase that cannot go on stops and reports.

import { expansionChain, type SourcePos, type Token, userPos } from './token';

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  readonly severity: Severity;
  readonly message: string;
  readonly path: string;
  readonly line: number;
  readonly col: number;
  /** Follow-up notes (e.g. "in expansion of macro 'X'"), printed after the diagnostic. */
  readonly notes: readonly Diagnostic[];
}

/** Upper bound on collected errors; past it the front end stops (as gcc's -fmax-errors). */
export const MAX_ERRORS = 100;

export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  private errors = 0;

  get errorCount(): number {
    return this.errors;
  }

  /** True once enough errors were seen that going on would only add noise. */
  get tooMany(): boolean {
    return this.errors >= MAX_ERRORS;
  }

  add(d: Diagnostic): void {
    if (d.severity === 'error') {
      if (this.errors >= MAX_ERRORS) return;
      this.errors++;
      if (this.errors === MAX_ERRORS) {
        this.items.push(d);
        this.items.push({ ...d, severity: 'error', message: 'too many errors emitted, stopping now', notes: [] });
        return;
      }
    }
    this.items.push(d);
  }

  at(severity: Severity, pos: SourcePos, message: string, notes: Diagnostic[] = []): void {
    this.add({ severity, message, path: pos.file.path, line: pos.line, col: pos.col, notes });
  }

  /** Diagnostic at a token: reported at the user's line, with macro-expansion notes. */
  atToken(severity: Severity, tok: Token, message: string): void {
    this.add(diagnosticAtToken(severity, tok, message));
  }

  error(tok: Token, message: string): void {
    this.atToken('error', tok, message);
  }

  warning(tok: Token, message: string): void {
    this.atToken('warning', tok, message);
  }
}

export function diagnosticAtToken(severity: Severity, tok: Token, message: string): Diagnostic {
  const pos = userPos(tok);
  const notes: Diagnostic[] = [];
  if (tok.expansion) {
    // Spelling location inside the macro body, then each expansion from the inside out.
    notes.push(note(tok, `spelled here`));
    for (const e of expansionChain(tok)) notes.push(note(e, `in expansion of macro '${e.macro}'`));
  }
  return { severity, message, path: pos.file.path, line: pos.line, col: pos.col, notes };
}

function note(pos: SourcePos, message: string): Diagnostic {
  return { severity: 'note', message, path: pos.file.path, line: pos.line, col: pos.col, notes: [] };
}

export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.path}:${d.line}:${d.col}: ${d.severity}: ${d.message}`;
  return d.notes.length === 0 ? head : [head, ...d.notes.map(formatDiagnostic)].join('\n');
}
