// Projects that bring their own device model as a JavaScript module: loaded only when trusted,
// checked for the DeviceModel shape, and a misbehaving module ends the run with an error that
// names the device and the module (the simulator keeps running).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRun } from '../../cli/run';

/** A legacy driver that reads the device's register 0 twice and prints it. */
const DRIVER = `
#include <ntddk.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    WRITE_PORT_UCHAR((PUCHAR)0x300, 0x41);
    DbgPrint("reg %02X\\n", READ_PORT_UCHAR((PUCHAR)0x300));
    DbgPrint("reg %02X\\n", READ_PORT_UCHAR((PUCHAR)0x300));
    return STATUS_SUCCESS;
}
`;

/** A counter: reads return the last value written plus the number of reads so far. */
const GOOD_MODULE = `
exports.createDevice = function (spec) {
  let s = { value: 0, reads: 0 };
  return {
    model: 'counter',
    attach(host) { this.host = host; },
    read(resource, offset, size) { s.reads++; this.host.trace('read', String(offset)); return s.value + s.reads + (spec.params.bias || 0); },
    write(resource, offset, size, value) { s.value = value; },
    onEvent() {},
    stimulate() {},
    registers() { return [{ name: 'VALUE', offset: 0, size: 1, value: s.value, resource: 0 }]; },
    snapshot() { return { ...s }; },
    restore(x) { s = { ...x }; },
  };
};
`;

function project(module: string, model = './devices/counter.js'): string {
  const dir = mkdtempSync(join(tmpdir(), 'kdsim-module-'));
  mkdirSync(join(dir, 'devices'));
  writeFileSync(join(dir, 'driver.c'), DRIVER);
  writeFileSync(join(dir, 'devices', 'counter.js'), module);
  writeFileSync(
    join(dir, 'kdsim.json'),
    JSON.stringify({
      name: 'module-test',
      sources: ['driver.c'],
      devices: [{ id: 'ctr', model, bus: 'isa', resources: [{ type: 'port', start: '0x300', length: 1 }], params: { bias: 1 } }],
      scenario: { until: '1ms', expect: [{ dbgPrint: '^reg 43', count: 1 }, { dbgPrint: '^reg 44', count: 1 }] },
    }),
  );
  return dir;
}

function run(dir: string, ...opts: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runRun([dir, ...opts], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('a trusted project runs its own device module: the driver reads what the module computes', () => {
  const r = run(project(GOOD_MODULE));
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^reg 43$/m);
  assert.match(r.out, /^reg 44$/m);
});

test('--restricted does not load device modules and says why', () => {
  const r = run(project(GOOD_MODULE), '--restricted');
  assert.equal(r.code, 1);
  assert.match(r.err, /device 'ctr': device module \.\/devices\/counter\.js not loaded: device modules run only in a trusted workspace/);
});

test('module load problems are reported, not thrown', () => {
  const cases: Array<[string, RegExp]> = [
    // Under tsx (these tests) the loader reports a TransformError; plain node a SyntaxError.
    ['exports.createDevice = function (', /cannot load device module \.\/devices\/counter\.js: (SyntaxError|TransformError)/],
    ['exports.somethingElse = 1;', /does not export a createDevice\(spec\) function/],
    ['throw new Error("boom at load");', /cannot load device module .*: Error: boom at load/],
  ];
  for (const [source, message] of cases) {
    const r = run(project(source));
    assert.equal(r.code, 1, source);
    assert.match(r.err, message, source);
  }
});

test('a misbehaving module ends the run with an error naming the device, the module and the method', () => {
  const cases: Array<[string, RegExp]> = [
    ['exports.createDevice = () => { throw new Error("no"); };', /device 'ctr' \(\.\/devices\/counter\.js\): createDevice threw: no/],
    ['exports.createDevice = () => ({ read() { return 0; } });', /missing: attach, write, onEvent, stimulate, registers, snapshot, restore/],
    [GOOD_MODULE.replace("return s.value + s.reads + (spec.params.bias || 0);", "return 'x';"), /read\(0, 0x0, 1\) returned string, not a number/],
    [GOOD_MODULE.replace('s.value = value;', 'throw new TypeError("bad write");'), /device 'ctr' \(\.\/devices\/counter\.js\): write threw: bad write/],
  ];
  for (const [source, message] of cases) {
    const r = run(project(source));
    assert.equal(r.code, 1, source);
    assert.match(r.err, message, `${source}\n${r.err}`);
  }
});

test('a module path must be CommonJS, and an unknown library model gets a suggestion', () => {
  const esm = run(project(GOOD_MODULE, './devices/counter.mjs'));
  assert.equal(esm.code, 2);
  assert.match(esm.err, /a device module must be a CommonJS file ending in \.js or \.cjs/);
  const typo = run(project(GOOD_MODULE, 'uart1655'));
  assert.equal(typo.code, 2);
  assert.match(typo.err, /unknown device model 'uart1655' \(did you mean 'uart16550'\?\)/);
});
