// Runs a hosted C program (`kdsim exec`): load, call main(argc, argv), collect output and the
// exit status, or a fault report naming the source line.

import type { Program as CProgram } from '../c/ast';
import type { CType } from '../c/types';
import { Heap, hostedLibrary, type HostedIO } from './crt/hosted';
import { loadProgram } from './loader';
import { Memory } from './memory';
import { Cpu, type EngineFault, FaultSignal } from './runtime';

export interface HostedResult {
  status: number;
  fault?: EngineFault;
  /** Functions called but defined nowhere (reported before running). */
  missing: string[];
}

export interface HostedOptions {
  args?: string[];
  /** Breakpoints (file path suffix and line): each hit is reported through `onBreak`, then the run goes on. */
  breakpoints?: { path: string; line: number }[];
  onBreak?: (where: string) => void;
  /** Statements before the run is stopped as hung (deterministic; default 2e9). */
  maxStatements?: number;
  memorySize?: number;
}

const ptrType: CType = { kind: 'ptr', base: { kind: 'void', size: -1, align: 1 }, size: 8, align: 8 };
const intT: CType = { kind: 'int', name: 'int', unsigned: false, size: 4, align: 4 };

export function runHosted(program: CProgram, io: HostedIO, opts: HostedOptions = {}): HostedResult {
  const mem = new Memory({ size: opts.memorySize ?? 128 << 20 });
  const heapRegion = mem.map('heap', 'heap', 32 << 20);
  const stack = mem.map('main thread stack', 'stack', 8 << 20);
  if (!heapRegion || !stack) throw new Error('simulated memory too small');
  const heap = new Heap(mem, heapRegion);
  let image;
  try {
    image = loadProgram(program, mem, hostedLibrary(io, heap));
  } catch (e) {
    if (e instanceof FaultSignal) return { status: 1, fault: e.fault, missing: [] };
    throw e;
  }
  const main = image.functions.get('main');
  if (!main) return { status: 1, fault: { kind: 'bad-call', message: "no function 'main' is defined" }, missing: image.missing };

  // argv strings on the heap.
  const args = ['program', ...(opts.args ?? [])];
  const argv = heap.alloc((args.length + 1) * 8);
  args.forEach((a, i) => {
    const bytes = new TextEncoder().encode(a);
    const p = heap.alloc(bytes.length + 1);
    mem.writeBytes(p, [...bytes, 0]);
    mem.writePtr(argv + i * 8, p);
  });
  mem.writePtr(argv + args.length * 8, 0);

  const cpu = new Cpu(image.prog, stack, 0);
  const budget = opts.maxStatements ?? 2e9;
  cpu.budget = budget;
  // Arm breakpoints: the functions holding them check every statement (F.traps).
  const armed = new Set<string>();
  for (const bp of opts.breakpoints ?? []) {
    for (const fn of image.functions.values()) {
      for (const st of fn.stops) {
        if (st.kind === 'stmt' && st.pos.line === bp.line && st.pos.file.path.endsWith(bp.path)) {
          fn.traps = true;
          fn.bp[st.pc] = 1;
          armed.add(`${fn.name}:${st.pc}`);
        }
      }
    }
  }
  cpu.shouldStop = (fr, pc) => armed.has(`${fr.fn.name}:${pc}`);
  try {
    cpu.enter(main, [args.length, argv].slice(0, main.params.length), [intT, ptrType]);
  } catch (e) {
    if (e instanceof FaultSignal) return { status: 1, fault: e.fault, missing: image.missing };
    throw e;
  }
  let r = cpu.run();
  while (r.kind === 'suspended' && cpu.budget >= 0 && r.stop) {
    opts.onBreak?.(`${r.stop.pos.file.path}:${r.stop.pos.line}`);
    r = cpu.run();
  }
  switch (r.kind) {
    case 'returned':
      return { status: Number(BigInt.asIntN(32, BigInt(r.value ?? 0))), missing: image.missing };
    case 'exit':
      return { status: r.status, missing: image.missing };
    case 'fault':
      return { status: 1, fault: r.fault, missing: image.missing };
    case 'blocked':
      return { status: 1, fault: { kind: 'abort', message: `blocked in ${r.on.reason} (no kernel to wake it)` }, missing: image.missing };
    case 'suspended':
      return {
        status: 1,
        fault: { kind: 'abort', message: `stopped after ${budget} statements (infinite loop?)`, pos: r.stop?.pos, functionName: r.frame.fn.name },
        missing: image.missing,
      };
  }
}

