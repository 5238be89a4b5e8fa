// Tiny POSIX-style path helpers for the front end (kernel-sim imports no Node built-ins).
// Paths use forward slashes; `C:/x` style drive prefixes are kept as an opaque root.

/** `#include "a\b.h"` is common in Windows code: treat `\` as a separator. */
export function toSlashes(p: string): string {
  return p.indexOf('\\') < 0 ? p : p.replace(/\\/g, '/');
}

/** True for `/x`, `C:/x` and `<sim>/x` (simulated headers are rooted at `<sim>`). */
export function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:\//.test(p) || p.startsWith('<sim>/');
}

/** Directory part: `a/b/c.h` → `a/b`, `c.h` → `.`, `/c.h` → `/`. */
export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return p.slice(0, i);
}

/** Join and normalize; an absolute `rel` replaces `base`. */
export function join(base: string, rel: string): string {
  rel = toSlashes(rel);
  if (isAbsolute(rel) || base === '' || base === '.') return normalize(rel);
  return normalize(base + '/' + rel);
}

/** Collapse `//`, `.` and `dir/..` segments; keeps leading `..` of relative paths. */
export function normalize(p: string): string {
  p = toSlashes(p);
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..' && !isRootSegment(out, out.length - 1)) {
      out.pop();
      continue;
    }
    if (seg === '..' && abs && out.length === 0) continue; // `/..` is `/`
    out.push(seg);
  }
  const body = out.join('/');
  if (abs) return '/' + body;
  return body === '' ? '.' : body;
}

// `C:` and `<sim>` are roots: `..` never climbs above them.
function isRootSegment(segs: string[], i: number): boolean {
  return i === 0 && (/^[A-Za-z]:$/.test(segs[0]) || segs[0] === '<sim>');
}
