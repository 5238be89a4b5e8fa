// How a processor is named to the user: its IRQL by name and what it is running. Shared by
// the DAP threads, the Kernel View state and the WinDbg-style commands.

import type { Prcb } from '../nt/ke/prcb';

/** The x64 IRQL names (KERNEL_MODEL §1.1); 3-11 are device IRQLs. */
export function irqlName(irql: number): string {
  const names: Record<number, string> = { 0: 'PASSIVE_LEVEL', 1: 'APC_LEVEL', 2: 'DISPATCH_LEVEL', 12: 'SYNCH_LEVEL', 13: 'CLOCK_LEVEL', 14: 'IPI_LEVEL', 15: 'HIGH_LEVEL' };
  return names[irql] ?? 'DIRQL';
}

/** What the processor runs: "ISR SmpIsr (vector 0x91)", "DPC SmpDpcForIsr", "thread ...", "idle". */
export function whatRuns(p: Prcb): { kind: 'isr' | 'dpc' | 'thread' | 'idle'; text: string } {
  const a = p.activity[p.activity.length - 1];
  if (a?.kind === 'isr') return { kind: 'isr', text: `ISR ${a.name}${a.vector !== undefined ? ` (vector 0x${a.vector.toString(16).toUpperCase()})` : ''}` };
  if (a?.kind === 'dpc') return { kind: 'dpc', text: `DPC ${a.name}` };
  if (p.current.isIdle) return { kind: 'idle', text: 'idle' };
  return { kind: 'thread', text: `thread ${p.current.name}` };
}
