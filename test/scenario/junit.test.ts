// JUnit XML output: structure, counts and escaping of arbitrary text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeAttr, escapeText, toJUnitXml } from '../../kernel-sim/scenario/junit';

const results = [
  { expectation: 'no bug check (implied)', ok: true, detail: 'the run ended without a bug check' },
  { expectation: 'DbgPrint matching /a<b & "c"/ exactly once', ok: false, detail: "0 matching messages; it's <none>" },
];

/** A tiny well-formedness check: tags balance, and no raw `<`/`&` sits in text or attributes. */
function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const re = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(body)) !== null) {
    end = re.lastIndex;
    if (m[5] !== undefined) {
      assert.ok(!/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(m[5]), `bad & in text: ${m[5]}`);
      continue;
    }
    assert.ok(!/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(m[3]), `bad & in attributes: ${m[3]}`);
    if (m[1]) assert.equal(stack.pop(), m[2]);
    else if (!m[4]) stack.push(m[2]);
  }
  assert.equal(end, body.length, `unparsable XML near: ${body.slice(end, end + 40)}`);
  assert.deepEqual(stack, []);
}

test('a suite with one test case per expectation', () => {
  const xml = toJUnitXml('dpcforisr', results, 1.23456, { output: 'sample 1\n', bugCheckText: 'BUGCHECK <0xD1> & more' });
  assertWellFormed(xml);
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kdsim" tests="2" failures="1" errors="0" time="1.235">'));
  assert.match(xml, /<testsuite name="dpcforisr" tests="2" failures="1" errors="0" skipped="0" time="1.235">/);
  assert.match(xml, /<testcase classname="kdsim.dpcforisr" name="no bug check \(implied\)" time="0">/);
  assert.match(xml, /<failure message="0 matching messages; it&apos;s &lt;none&gt;" type="ExpectationFailed">0 matching messages; it's &lt;none&gt;<\/failure>/);
  assert.match(xml, /name="DbgPrint matching \/a&lt;b &amp; &quot;c&quot;\/ exactly once"/);
  assert.match(xml, /<system-out>sample 1\n<\/system-out>/);
  assert.match(xml, /<system-err>BUGCHECK &lt;0xD1&gt; &amp; more<\/system-err>/);
  assert.equal((xml.match(/<testcase /g) ?? []).length, 2);
});

test('no results, no extras, odd durations', () => {
  const xml = toJUnitXml('p', [], NaN);
  assertWellFormed(xml);
  assert.match(xml, /tests="0" failures="0" errors="0" time="0.000"/);
  assert.ok(!xml.includes('system-out'));
  assert.match(toJUnitXml('p', [], -5), /time="0.000"/);
});

test('escaping: markup, quotes, control characters and lone surrogates', () => {
  assert.equal(escapeText('a<b>&c'), 'a&lt;b&gt;&amp;c');
  assert.equal(escapeText('tab\tnl\ncr\r'), 'tab\tnl\ncr\r', 'whitespace is kept in text');
  assert.equal(escapeText('nul\u0000bell\u0007'), 'nul\\u0000bell\\u0007');
  assert.equal(escapeText('\uFFFE\uD800x\uDC00'), '\\ufffe\\ud800x\\udc00');
  assert.equal(escapeText('emoji \u{1F600} ok'), 'emoji \u{1F600} ok', 'surrogate pairs survive');
  assert.equal(escapeAttr('say "hi" & \'bye\'\n\t'), 'say &quot;hi&quot; &amp; &apos;bye&apos;&#10;&#9;');
  const xml = toJUnitXml('p<&>"', [{ expectation: 'x\u0001', ok: false, detail: ']]> </failure> <x>' }], 0, { output: '\u001b[31mred\u001b[0m' });
  assertWellFormed(xml);
  assert.ok(xml.includes('name="p&lt;&amp;&gt;&quot;"'));
  assert.ok(xml.includes(']]&gt; &lt;/failure&gt; &lt;x&gt;'));
  assert.ok(xml.includes('\\u001b[31mred\\u001b[0m'));
  // No character XML 1.0 forbids may appear anywhere in the document.
  for (const ch of xml) {
    const c = ch.codePointAt(0)!;
    assert.ok(c === 9 || c === 10 || c === 13 || (c >= 0x20 && c !== 0xfffe && c !== 0xffff), `U+${c.toString(16)}`);
  }
});
