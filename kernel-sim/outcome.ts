// A finished run as the scenario's expectations see it (scenario/expect.ts RunOutcome): the
// machine's result plus the statistics computed from its trace. Shared by `kdsim run` and the
// debugger so both judge a run the same way.

import type { Machine, RunResult } from './machine';
import type { RunOutcome } from './scenario/expect';
import type { TraceStats } from './trace/stats';

export function runOutcome(machine: Machine, result: RunResult, stats: TraceStats): RunOutcome {
  // Stats rows are per (routine, vector): an ISR connected to several vectors (MSI messages,
  // shared lines) has one row per vector, summed here per routine.
  const isrRuns = new Map<string, number>();
  for (const x of stats.isr.routines) isrRuns.set(x.routine, (isrRuns.get(x.routine) ?? 0) + x.count);
  const dpcRuns = new Map<string, number>();
  for (const x of stats.dpc.routines) dpcRuns.set(x.routine, (dpcRuns.get(x.routine) ?? 0) + x.count);
  const maxDurationNs = new Map<string, number>();
  const maxDurationAtNs = new Map<string, number>();
  for (const x of [...stats.isr.routines, ...stats.dpc.routines]) {
    if (x.count === 0 || (maxDurationNs.get(x.routine) ?? -1) >= x.maxNs) continue;
    maxDurationNs.set(x.routine, x.maxNs);
    if (x.maxAt) maxDurationAtNs.set(x.routine, x.maxAt.t);
  }
  const latency = stats.latency.all;
  const outcome: RunOutcome = {
    endNs: result.endNs,
    dbgPrint: result.log,
    dbgPrintAtNs: result.logAtNs,
    requests: result.requests.map((q) => ({ index: q.index, completed: q.completed, status: q.status, information: q.information, completedAtNs: q.completedAtNs, issuedAtNs: q.issuedAtNs, data: q.data })),
    isrRuns,
    dpcRuns,
    maxDurationNs,
    maxDurationAtNs,
    leaks: result.leaks,
    deviceOutput: machine.deviceOutput,
    classInput: result.classInput,
    maxDpcQueueDepth: result.maxDpcQueueDepth,
  };
  if (result.bugCheck) outcome.bugCheck = { code: result.bugCheck.code, args: result.bugCheck.args, atNs: result.bugCheck.timeNs };
  if (latency.count > 0) {
    outcome.maxIsrToDpcLatencyNs = latency.maxNs;
    if (latency.maxAt) outcome.maxIsrToDpcLatencyAtNs = latency.maxAt.t;
  }
  return outcome;
}
