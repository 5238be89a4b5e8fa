// JUnit XML for CI systems (GitHub, GitLab, Jenkins, Azure DevOps read this dialect): one
// <testsuite> per project, one <testcase> per expectation, the DbgPrint log as
// <system-out> and the bug check analysis as <system-err>.

import type { ExpectationResult } from './expect';

export interface JUnitExtra {
  /** `!analyze`-style text of a bug check, if one happened. */
  bugCheckText?: string;
  /** The run's DbgPrint output. */
  output?: string;
}

export function toJUnitXml(projectName: string, results: readonly ExpectationResult[], durationSeconds: number, extra: JUnitExtra = {}): string {
  const failures = results.filter((r) => !r.ok).length;
  const time = seconds(durationSeconds);
  const suite = attrs({ name: projectName, tests: results.length, failures, errors: 0, skipped: 0, time });
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attrs({ name: 'kdsim', tests: results.length, failures, errors: 0, time })}>`,
    `  <testsuite ${suite}>`,
  ];
  for (const r of results) {
    // Per-expectation times are unknown: the run is judged as a whole after it ends.
    const tc = attrs({ classname: `kdsim.${projectName}`, name: r.expectation, time: '0' });
    if (r.ok) {
      lines.push(`    <testcase ${tc}>`, `      <system-out>${escapeText(r.detail)}</system-out>`, '    </testcase>');
    } else {
      lines.push(`    <testcase ${tc}>`, `      <failure ${attrs({ message: r.detail, type: 'ExpectationFailed' })}>${escapeText(r.detail)}</failure>`, '    </testcase>');
    }
  }
  if (extra.output) lines.push(`    <system-out>${escapeText(extra.output)}</system-out>`);
  if (extra.bugCheckText) lines.push(`    <system-err>${escapeText(extra.bugCheckText)}</system-err>`);
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

function seconds(s: number): string {
  return Number.isFinite(s) && s > 0 ? s.toFixed(3) : '0.000';
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a)
    .map(([k, v]) => `${k}="${escapeAttr(String(v))}"`)
    .join(' ');
}

/** Characters XML 1.0 cannot carry at all (not even as references) become visible `\uXXXX`. */
function dropInvalid(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const high = c >= 0xd800 && c <= 0xdbff;
    const low = c >= 0xdc00 && c <= 0xdfff;
    if (high && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s[i] + s[i + 1]; // a valid surrogate pair
      i++;
    } else if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff || high || low) {
      out += '\\u' + c.toString(16).padStart(4, '0');
    } else {
      out += s[i];
    }
  }
  return out;
}

export function escapeText(s: string): string {
  return dropInvalid(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// In attributes, whitespace other than space would be normalised away by parsers: keep it as references.
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
