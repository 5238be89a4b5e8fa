// The kdsim debug adapter: a DAP session over a simulated machine. Threads are the simulated
// processors, stacks run across interrupt and DPC boundaries, scopes show the frame's
// variables, the driver's globals, the processor (IRQL, DPC queue, pending interrupts) and the
// device registers. The simulation runs in slices of a few milliseconds of host time so the
// host thread (VS Code's extension host in inline mode) is never blocked for long.

import { basename, resolve as resolvePath } from 'node:path';
import {
  Breakpoint as DapBreakpoint,
  ContinuedEvent,
  Event,
  Handles,
  InitializedEvent,
  InvalidatedEvent,
  LoggingDebugSession,
  OutputEvent,
  Scope,
  Source,
  StackFrame,
  StoppedEvent,
  TerminatedEvent,
  Thread,
  ThreadEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Breakpoint } from '../kernel-sim/debug/breakpoints';
import { type ExceptionFilter, irqlName, MachineDebugger, type StopInfo, type Travel, type TravelOutcome, type TravelRequest } from '../kernel-sim/debug/debugger';
import type { StackFrameInfo } from '../kernel-sim/debug/frames';
import { commandCompletions, isCommand, runCommand } from '../kernel-sim/debug/commands';
import { completeExpression } from '../kernel-sim/debug/completions';
import { buildState } from '../kernel-sim/debug/state';
import { KDSIM_STATE_CHANGED_EVENT, KDSIM_STATE_REQUEST } from '../kernel-sim/debug/state-types';
import { hexAddress, type TypedValue, typeLabel } from '../kernel-sim/debug/values';
import type { Machine } from '../kernel-sim/machine';
import { runOutcome } from '../kernel-sim/outcome';
import { evaluateExpectations } from '../kernel-sim/scenario/expect';
import { computeStats } from '../kernel-sim/trace/stats';
import { fromUnsigned, toUnsigned } from '../kernel-sim/vm/memory';
import type { Frame } from '../kernel-sim/vm/runtime';
import { loadProject } from './load';

/** Host time one simulation slice may take before the adapter yields (ARCHITECTURE decision 8). */
const SLICE_MS = 15;
/** Background time-travel preparation while stopped: shorter slices, requests come first. */
const PREPARE_SLICE_MS = 8;
/** DAP thread ids of system threads: this plus the KTHREAD's id (processors are 1..64). */
const SYSTEM_THREAD_BASE = 1000;
/** While running, the Kernel View gets at most this many states per second. */
const STATE_EVENTS_PER_SECOND = 10;

export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** Path to kdsim.json (or the folder holding it). */
  project: string;
  stopOnEntry?: boolean;
  cpus?: number;
  seed?: number;
  verifier?: boolean;
  /** Whether the workspace is trusted (device modules run only then). Default true. */
  trusted?: boolean;
  /**
   * What the other processors do while one is stepped: 'run' (default; interrupts and DPCs
   * elsewhere go on, as on a live machine) or 'freeze' (only the stepped processor runs, as a
   * kernel debugger holding the others). A request's `singleThread` asks for 'freeze' per step.
   */
  otherCpusWhileStepping?: 'run' | 'freeze';
}

type VarRef =
  | { kind: 'locals'; frame: Frame }
  | { kind: 'globals' }
  | { kind: 'value'; tv: TypedValue; expr: string }
  | { kind: 'cpu'; cpu: number }
  | { kind: 'dpcQueue'; cpu: number }
  | { kind: 'devices' }
  | { kind: 'device'; index: number };

/** Exception breakpoint filters (kernel events a driver developer may want to stop at). */
const EXCEPTION_FILTERS: ReadonlyArray<DebugProtocol.ExceptionBreakpointsFilter & { filter: ExceptionFilter }> = [
  { filter: 'bugcheck', label: 'Bug check', description: 'Stop where the driver causes a bug check, before the machine halts.', default: true },
  { filter: 'verifier', label: 'Driver Verifier violation', description: 'Stop at bug checks Driver Verifier raises (0xC4 and its special pool checks) even when "Bug check" is off.' },
  { filter: 'break', label: 'DbgBreakPoint', description: 'Stop after DbgBreakPoint / DbgBreakPointWithStatus (without a debugger they bug check 0x1E).', default: true },
  { filter: 'assert', label: 'ASSERT failure', description: 'Stop after a failed ASSERT or PAGED_CODE() at raised IRQL.', default: true },
  { filter: 'interrupt', label: 'Every interrupt', description: 'Stop at the first statement of every ISR.' },
  { filter: 'dpc', label: 'Every DPC', description: 'Stop at the first statement of every DPC routine.' },
];
const DEFAULT_FILTERS = EXCEPTION_FILTERS.filter((f) => f.default).map((f) => f.filter);

export class KdsimDebugSession extends LoggingDebugSession {
  private dbg: MachineDebugger | undefined;
  private configurationDone = false;
  /** Launch setting: other processors frozen while one is stepped. */
  private freezeWhileStepping = false;
  private onConfigurationDone: (() => void) | undefined;
  private loop: NodeJS.Immediate | undefined;
  private prepLoop: NodeJS.Immediate | undefined;
  private running = false;
  private terminated = false;
  private lastStop: StopInfo | undefined;
  private logIndex = 0;
  private stateVersion = 0;
  private knownThreads = new Set<number>();
  private lastStateAt = 0;
  private hex = false;
  private filters: ExceptionFilter[] = DEFAULT_FILTERS;
  private readonly frames = new Handles<{ cpu: number; info: StackFrameInfo }>();
  private readonly vars = new Handles<VarRef>();
  /** setBreakpoints that arrived before the program was loaded. */
  private readonly pendingBreakpoints = new Map<string, DebugProtocol.SourceBreakpoint[]>();
  private pendingFunctionBreakpoints: DebugProtocol.FunctionBreakpoint[] = [];

  /** The machine being debugged (time travel replaces it with a re-executed one). */
  private get machine(): Machine | undefined {
    return this.dbg?.machine;
  }

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsExceptionInfoRequest: true,
      supportsTerminateRequest: true,
      supportsValueFormattingOptions: true,
      supportsDelayedStackTraceLoading: true,
      supportsStepBack: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['.', '>'],
      supportsDataBreakpoints: true,
      supportsRestartFrame: true,
      supportsSingleThreadExecutionRequests: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({ ...f })),
    };
    this.sendResponse(response);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configurationDone = true;
    this.sendResponse(response);
    this.onConfigurationDone?.();
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): void {
    if (this.dbg) return this.fail(response, 'the session is already running a program');
    if (!args || typeof args.project !== 'string' || args.project === '') return this.fail(response, "launch needs 'project': the path to kdsim.json");
    for (const k of ['cpus', 'seed'] as const) {
      if (args[k] !== undefined && !Number.isInteger(args[k])) return this.fail(response, `'${k}' must be an integer`);
    }
    if (args.cpus !== undefined && (args.cpus < 1 || args.cpus > 64)) return this.fail(response, "'cpus' must be between 1 and 64");
    if (args.otherCpusWhileStepping !== undefined && args.otherCpusWhileStepping !== 'run' && args.otherCpusWhileStepping !== 'freeze') {
      return this.fail(response, "'otherCpusWhileStepping' must be 'run' or 'freeze'");
    }
    this.freezeWhileStepping = args.otherCpusWhileStepping === 'freeze';
    const loaded = loadProject(args.project, { cpus: args.cpus, seed: args.seed, verifier: args.verifier, trusted: args.trusted });
    for (const d of loaded.diagnostics) {
      const e = new OutputEvent(`${d.path ?? ''}${d.line !== undefined ? `:${d.line}:${d.column ?? 1}` : ''}: ${d.severity}: ${d.message}\n`, 'stderr') as DebugProtocol.OutputEvent;
      if (d.path) e.body.source = new Source(basename(d.path), this.convertDebuggerPathToClient(d.path));
      if (d.line !== undefined) {
        e.body.line = this.convertDebuggerLineToClient(d.line);
        e.body.column = this.convertDebuggerColumnToClient(d.column ?? 1);
      }
      e.body.data = { kdsimDiagnostic: d };
      this.sendEvent(e);
    }
    if (!loaded.ok) {
      this.sendErrorResponse(response, { id: 1001, format: `kdsim: cannot launch: ${loaded.message}`, showUser: true });
      this.sendEvent(new TerminatedEvent());
      return;
    }
    this.dbg = new MachineDebugger(loaded.machine, { module: loaded.config.name, samePath: samePath, filters: this.filters, recreate: loaded.recreate });
    for (const [path, bps] of this.pendingBreakpoints) this.applyBreakpoints(path, bps);
    this.pendingBreakpoints.clear();
    if (this.pendingFunctionBreakpoints.length > 0) this.dbg.breakpoints.setFunctions(this.pendingFunctionBreakpoints);
    this.sendEvent(new InitializedEvent());
    const go = (): void => {
      this.onConfigurationDone = undefined;
      this.dbg?.start(args.stopOnEntry ?? false);
      this.sendResponse(response);
      this.resume();
    };
    if (this.configurationDone) go();
    else this.onConfigurationDone = go;
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.halt();
    this.sendResponse(response);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.halt();
    this.sendResponse(response);
    this.end();
  }

  // ---- breakpoints --------------------------------------------------------------------------------

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const path = args?.source?.path;
    if (typeof path !== 'string') return this.fail(response, 'setBreakpoints needs source.path');
    const specs = Array.isArray(args.breakpoints) ? args.breakpoints : (args.lines ?? []).map((line) => ({ line }));
    if (specs.some((b) => !b || !Number.isInteger(b.line))) return this.fail(response, 'every breakpoint needs an integer line');
    if (!this.dbg) {
      this.pendingBreakpoints.set(path, specs);
      response.body = { breakpoints: specs.map((b) => ({ verified: false, line: b.line, message: 'the program is not loaded yet' })) };
      return this.sendResponse(response);
    }
    response.body = { breakpoints: this.applyBreakpoints(path, specs) };
    this.sendResponse(response);
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    if (!args || !Array.isArray(args.breakpoints) || args.breakpoints.some((b) => typeof b?.name !== 'string')) return this.fail(response, 'setFunctionBreakpoints needs breakpoints with a name');
    if (!this.dbg) {
      this.pendingFunctionBreakpoints = args.breakpoints;
      response.body = { breakpoints: args.breakpoints.map(() => ({ verified: false, message: 'the program is not loaded yet' })) };
      return this.sendResponse(response);
    }
    response.body = { breakpoints: this.dbg.breakpoints.setFunctions(args.breakpoints).map((b) => this.toDap(b)) };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    if (!args || !Array.isArray(args.filters)) return this.fail(response, 'setExceptionBreakpoints needs filters');
    const known = new Set<string>(EXCEPTION_FILTERS.map((f) => f.filter));
    const unknown = args.filters.filter((f) => !known.has(f));
    if (unknown.length > 0) return this.fail(response, `unknown exception filter '${unknown[0]}' (filters: ${[...known].join(', ')})`);
    this.filters = args.filters as ExceptionFilter[];
    this.dbg?.setExceptionFilters(this.filters);
    this.sendResponse(response);
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    if (!this.requireStopped(response)) return;
    const dbg = this.dbg as MachineDebugger;
    if (typeof args?.name !== 'string') return this.fail(response, 'dataBreakpointInfo needs a name');
    let target: { tv: TypedValue; expr: string } | undefined;
    const ref = typeof args.variablesReference === 'number' && args.variablesReference > 0 ? this.vars.get(args.variablesReference) : undefined;
    if (ref?.kind === 'locals') {
      const { params, locals } = dbg.variablesOf(ref.frame);
      const v = [...params, ...locals].find((x) => x.v.name === args.name);
      if (v) target = { tv: v.tv, expr: v.v.name };
    } else if (ref?.kind === 'globals') {
      const v = dbg.globals().find((x) => x.v.name === args.name);
      if (v) target = { tv: v.tv, expr: v.v.name };
    } else if (ref?.kind === 'value') {
      const c = dbg.reader.children(ref.tv, ref.expr).find((x) => x.name === args.name);
      if (c) target = { tv: c.tv, expr: c.expr };
    } else {
      const frame = args.frameId !== undefined ? this.frameOf(args.frameId)?.info.frame : undefined;
      const r = dbg.evaluate(args.name, frame);
      if (r.ok) target = { tv: r.value, expr: args.name };
    }
    const loc = target?.tv.loc;
    if (!target || loc?.kind !== 'memory' || target.tv.type.size <= 0) {
      response.body = { dataId: null, description: `${args.name} is not an object in memory (a register variable or a value)` };
      return this.sendResponse(response);
    }
    response.body = { dataId: `${hexAddress(loc.address)}/${target.tv.type.size}/${target.expr}`, description: `${target.expr} (${target.tv.type.size} bytes at ${hexAddress(loc.address)})`, accessTypes: ['write', 'read', 'readWrite'], canPersist: false };
    this.sendResponse(response);
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    if (!this.dbg) return this.fail(response, 'no program is loaded');
    if (!args || !Array.isArray(args.breakpoints)) return this.fail(response, 'setDataBreakpoints needs breakpoints');
    const parsed = args.breakpoints.map((b) => {
      const m = typeof b?.dataId === 'string' ? /^(0x[0-9a-f]+)\/(\d+)\/(.*)$/is.exec(b.dataId) : null;
      return m ? { address: fromUnsigned(BigInt(m[1])), size: Number(m[2]), description: m[3], access: b.accessType ?? 'write' } : undefined;
    });
    if (parsed.some((p) => p === undefined)) return this.fail(response, 'unknown dataId (get one from dataBreakpointInfo)');
    const set = this.dbg.setDataBreakpoints(parsed as Array<{ address: number; size: number; description: string; access: 'read' | 'write' | 'readWrite' }>);
    response.body = { breakpoints: set.map((b) => ({ id: b.id, verified: b.verified, ...(b.message ? { message: b.message } : {}) })) };
    this.sendResponse(response);
  }

  private applyBreakpoints(path: string, specs: readonly DebugProtocol.SourceBreakpoint[]): DebugProtocol.Breakpoint[] {
    const dbg = this.dbg as MachineDebugger;
    const local = this.convertClientPathToDebugger(path);
    return dbg.breakpoints.setForFile(local, specs).map((b) => this.toDap(b));
  }

  private toDap(b: Breakpoint): DebugProtocol.Breakpoint {
    const out = new DapBreakpoint(b.verified, b.verified ? this.convertDebuggerLineToClient(b.line) : b.line) as DebugProtocol.Breakpoint;
    out.id = b.id;
    if (b.message) out.message = b.message;
    if (b.path) out.source = new Source(basename(b.path), this.convertDebuggerPathToClient(b.path));
    return out;
  }

  // ---- execution --------------------------------------------------------------------------------

  protected override continueRequest(response: DebugProtocol.ContinueResponse, args: DebugProtocol.ContinueArguments): void {
    if (!this.requireStopped(response)) return;
    const only = args?.singleThread === true ? this.cpuOf(args.threadId) : undefined;
    this.dbg?.continue(only);
    response.body = { allThreadsContinued: only === undefined };
    this.sendResponse(response);
    this.resume();
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.stepRequest(response, args, 'over');
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.stepRequest(response, args, 'in');
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.stepRequest(response, args, 'out');
  }

  private stepRequest(response: DebugProtocol.Response, args: { threadId: number; singleThread?: boolean } | undefined, kind: 'in' | 'over' | 'out'): void {
    if (!this.requireStopped(response)) return;
    const target = this.threadOf(args?.threadId);
    if (!target) return this.fail(response, `no thread ${String(args?.threadId)} (the simulated processors are 1 to ${this.machine?.k.prcbs.length ?? 0}; system threads from ${SYSTEM_THREAD_BASE + 1})`);
    const ctx = target.system !== undefined ? this.dbg?.systemThreads().find((t) => t.id === target.system)?.ctx : undefined;
    if (ctx) this.dbg?.stepContext(ctx, kind);
    else this.dbg?.step(target.cpu, kind, args?.singleThread ?? this.freezeWhileStepping);
    this.sendResponse(response);
    this.resume();
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    if (!this.requireStopped(response)) return;
    const cpu = this.cpuOf(args?.threadId);
    if (cpu === undefined || !this.dbg) return this.fail(response, `no thread ${String(args?.threadId)}`);
    this.timeTravel(response, { kind: 'stepBack', cpu });
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    if (!this.requireStopped(response)) return;
    this.timeTravel(response, { kind: 'reverseContinue' });
  }

  protected override restartFrameRequest(response: DebugProtocol.RestartFrameResponse, args: DebugProtocol.RestartFrameArguments): void {
    if (!this.requireStopped(response)) return;
    const f = this.frameOf(args?.frameId);
    if (!f?.info.frame) return this.fail(response, `no frame ${String(args?.frameId)} to restart`);
    this.timeTravel(response, { kind: 'restartFrame', cpu: f.cpu, frame: f.info.frame });
  }

  /**
   * Goes back in history: responds at once, then re-executes history in host-time slices (the
   * host thread is never held long) and reports the new stop; every view refreshes.
   */
  private timeTravel(response: DebugProtocol.Response, to: TravelRequest): void {
    const dbg = this.dbg as MachineDebugger;
    const travel = dbg.travel(to);
    // Errors known before re-executing anything come back as the response.
    const first = travel.next(() => true);
    if (first.done && first.value.kind === 'error') return this.fail(response, first.value.message);
    this.sendResponse(response);
    this.running = true;
    this.frames.reset();
    this.vars.reset();
    const finish = (outcome: TravelOutcome): void => {
      this.running = false;
      this.logIndex = Math.min(this.logIndex, this.machine?.k.log.length ?? 0);
      if (outcome.kind === 'error') {
        // Nowhere to go (the beginning of history): the machine was re-executed to where it
        // stood, so it stops there again.
        this.sendEvent(new OutputEvent(`kdsim: ${outcome.message}\n`, 'console'));
        if (!this.lastStop) return this.end();
        outcome = { kind: 'stopped', stop: this.lastStop };
      }
      if (outcome.kind !== 'stopped') return this.end();
      this.reportStop(outcome.stop, true);
    };
    if (first.done) return finish(first.value);
    const slice = (): void => {
      this.loop = undefined;
      if (this.terminated) return;
      const deadline = performance.now() + SLICE_MS;
      let r: ReturnType<Travel['next']>;
      try {
        r = travel.next(() => performance.now() >= deadline);
      } catch (e) {
        return finish({ kind: 'error', message: (e as Error).message });
      }
      if (r.done) finish(r.value);
      else this.loop = setImmediate(slice);
    };
    this.loop = setImmediate(slice);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    if (!this.dbg || this.terminated) return this.fail(response, 'nothing is running');
    if (this.running) this.dbg.pause();
    this.sendResponse(response);
  }

  /** Runs the machine slice by slice until it stops or ends. */
  private resume(): void {
    if (!this.dbg || this.terminated) return;
    this.running = true;
    this.lastStop = undefined;
    this.frames.reset();
    this.vars.reset();
    this.scheduleSlice();
  }

  private scheduleSlice(): void {
    this.loop = setImmediate(() => {
      this.loop = undefined;
      this.runSlice();
    });
  }

  private runSlice(): void {
    const dbg = this.dbg;
    if (!dbg || this.terminated) return;
    const deadline = performance.now() + SLICE_MS;
    let outcome: ReturnType<MachineDebugger['advance']>;
    try {
      outcome = dbg.advance(() => performance.now() >= deadline);
    } catch (e) {
      this.flushOutput();
      this.sendEvent(new OutputEvent(`kdsim: internal error in the simulator: ${(e as Error).stack ?? String(e)}\n`, 'stderr'));
      this.end();
      return;
    }
    this.flushOutput();
    if (outcome.kind === 'running') {
      if (performance.now() - this.lastStateAt >= 1000 / STATE_EVENTS_PER_SECOND) this.sendState(false);
      return this.scheduleSlice();
    }
    this.running = false;
    if (outcome.kind === 'stopped') return this.reportStop(outcome.stop, false);
    this.reportEnd();
    this.end();
  }

  /** The stopped event (all processors stop together), and the Kernel View's state. */
  private reportStop(stop: StopInfo, timeTravelled: boolean): void {
    this.lastStop = stop;
    const ev = new StoppedEvent(stop.reason, stop.cpu + 1, stop.text) as DebugProtocol.StoppedEvent;
    ev.body.allThreadsStopped = true;
    ev.body.description = stop.description;
    if (stop.hitBreakpointIds) ev.body.hitBreakpointIds = stop.hitBreakpointIds;
    this.sendEvent(ev);
    // After time travel everything the client holds is from another moment.
    if (timeTravelled) this.sendEvent(new InvalidatedEvent(['all']));
    this.sendState(true);
    this.schedulePrepare();
  }

  /**
   * While stopped, idle time brings a time-travel checkpoint up to this moment (in short
   * slices: requests are served in between), so a step back re-executes only a short stretch.
   */
  private schedulePrepare(): void {
    if (this.prepLoop || !this.dbg?.canTimeTravel) return;
    this.prepLoop = setImmediate(() => {
      this.prepLoop = undefined;
      const dbg = this.dbg;
      if (!dbg || this.running || this.terminated) return;
      const deadline = performance.now() + PREPARE_SLICE_MS;
      let more: boolean;
      try {
        more = dbg.prepare(() => performance.now() >= deadline);
      } catch (e) {
        // Time travel falls back to re-executing from boot; the session goes on.
        this.sendEvent(new OutputEvent(`kdsim: preparing time travel failed: ${(e as Error).message}\n`, 'console'));
        more = false;
      }
      if (more) this.schedulePrepare();
    });
  }

  /** DbgPrint output and logpoint messages since the last slice. */
  private flushOutput(): void {
    const m = this.machine;
    if (!m) return;
    const log = m.k.log;
    for (; this.logIndex < log.length; this.logIndex++) this.sendEvent(new OutputEvent(log[this.logIndex], 'stdout'));
    for (const line of this.dbg?.takeOutput() ?? []) this.sendEvent(new OutputEvent(line, 'console'));
    this.announceThreads();
  }

  /** The Kernel View's state as an event (every stop; throttled while running). */
  private sendState(stopped: boolean): void {
    if (!this.machine) return;
    this.lastStateAt = performance.now();
    this.sendEvent(new Event(KDSIM_STATE_CHANGED_EVENT, buildState(this.machine, ++this.stateVersion, stopped)));
  }

  private reportEnd(): void {
    const m = this.machine;
    const dbg = this.dbg;
    if (!m || !dbg) return;
    const result = m.finish();
    const lines: string[] = [];
    if (result.analyze) lines.push(result.analyze);
    if (result.error) lines.push(`kdsim: ${result.error}`);
    const stats = computeStats(m.trace.events, { totalNs: result.endNs, cpuCount: m.config.machine.cpus });
    const checks = evaluateExpectations(m.config.scenario.expect, runOutcome(m, result, stats));
    for (const c of checks) lines.push(c.ok ? `ok   ${c.expectation}` : `FAIL expected: ${c.expectation}\n     happened: ${c.detail}`);
    const failed = checks.filter((c) => !c.ok).length;
    lines.push(`kdsim: ${m.config.name}: ${(result.endNs / 1e6).toFixed(3)} ms simulated; ${result.bugCheck ? `bug check 0x${result.bugCheck.code.toString(16).toUpperCase()}` : 'no bug check'}; ${checks.length - failed} passed, ${failed} failed`);
    this.sendEvent(new OutputEvent(`${lines.join('\n')}\n`, 'console'));
  }

  private halt(): void {
    if (this.loop) clearImmediate(this.loop);
    if (this.prepLoop) clearImmediate(this.prepLoop);
    this.loop = undefined;
    this.prepLoop = undefined;
    this.running = false;
  }

  private end(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.halt();
    this.sendEvent(new TerminatedEvent());
  }

  // ---- inspection -------------------------------------------------------------------------------

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const cpus = (this.dbg?.threads() ?? []).map((t) => new Thread(t.cpu + 1, t.name));
    const system = (this.dbg?.systemThreads() ?? []).map((t) => new Thread(SYSTEM_THREAD_BASE + t.id, `Thread ${t.id} ${t.name} — ${t.state}`));
    response.body = { threads: [...cpus, ...system] };
    this.sendResponse(response);
  }

  /** Thread events for system threads created or ended since the last look. */
  private announceThreads(): void {
    const now = new Set((this.dbg?.systemThreads() ?? []).map((t) => t.id));
    for (const id of now) if (!this.knownThreads.has(id)) this.sendEvent(new ThreadEvent('started', SYSTEM_THREAD_BASE + id));
    for (const id of this.knownThreads) if (!now.has(id)) this.sendEvent(new ThreadEvent('exited', SYSTEM_THREAD_BASE + id));
    this.knownThreads = now;
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    if (!this.requireStopped(response)) return;
    const target = this.threadOf(args?.threadId);
    if (!target || !this.dbg) return this.fail(response, `no thread ${String(args?.threadId)}`);
    const cpu = target.cpu;
    const all = target.system !== undefined ? this.dbg.threadStack(target.system) : this.dbg.stack(cpu);
    const start = Math.max(0, args.startFrame ?? 0);
    const levels = args.levels && args.levels > 0 ? args.levels : all.length;
    const frames = all.slice(start, start + levels).map((info) => {
      const id = this.frames.create({ cpu, info });
      const f = new StackFrame(id, info.name) as DebugProtocol.StackFrame;
      if (info.pos && !info.kernel) {
        f.source = new Source(basename(info.pos.file.path), this.convertDebuggerPathToClient(info.pos.file.path));
        f.line = this.convertDebuggerLineToClient(info.pos.line);
        f.column = this.convertDebuggerColumnToClient(info.pos.col);
      } else {
        f.line = 0;
        f.column = 0;
        f.presentationHint = 'subtle';
      }
      return f;
    });
    response.body = { stackFrames: frames, totalFrames: all.length };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    if (!this.requireStopped(response)) return;
    const f = this.frameOf(args?.frameId);
    if (!f) return this.fail(response, `no frame ${String(args?.frameId)}`);
    const scopes: DebugProtocol.Scope[] = [];
    const fr = f.info.frame;
    if (fr && !f.info.kernel) scopes.push(new Scope('Locals', this.vars.create({ kind: 'locals', frame: fr }), false));
    scopes.push(new Scope('Globals', this.vars.create({ kind: 'globals' }), false));
    scopes.push(new Scope(`CPU ${f.cpu}`, this.vars.create({ kind: 'cpu', cpu: f.cpu }), false));
    if ((this.machine?.models.length ?? 0) > 0) scopes.push(new Scope('Device registers', this.vars.create({ kind: 'devices' }), false));
    response.body = { scopes };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    if (!this.requireStopped(response)) return;
    this.hex = args?.format?.hex ?? false;
    const ref = typeof args?.variablesReference === 'number' ? this.vars.get(args.variablesReference) : undefined;
    if (!ref || !this.dbg) return this.fail(response, `no variables reference ${String(args?.variablesReference)}`);
    response.body = { variables: this.variablesOf(ref, args.start, args.count) };
    this.sendResponse(response);
  }

  private variablesOf(ref: VarRef, start?: number, count?: number): DebugProtocol.Variable[] {
    const dbg = this.dbg as MachineDebugger;
    const m = this.machine as Machine;
    switch (ref.kind) {
      case 'locals': {
        const { params, locals } = dbg.variablesOf(ref.frame);
        return [...params, ...locals].map(({ v, tv }) => this.variable(v.name, tv, v.name));
      }
      case 'globals':
        return dbg.globals().map(({ v, tv }) => this.variable(v.name, tv, v.name));
      case 'value':
        return dbg.reader.children(ref.tv, ref.expr, start ?? 0, count && count > 0 ? count : undefined).map((c) => this.variable(c.name, c.tv, c.expr));
      case 'cpu': {
        const p = m.k.prcbs[ref.cpu];
        const t = dbg.threads()[ref.cpu];
        const pending: string[] = [];
        for (let v = 255; v >= 0; v--) if (p.irr[v]) pending.push(`0x${v.toString(16).toUpperCase()}`);
        const simple = (name: string, value: string): DebugProtocol.Variable => ({ name, value, variablesReference: 0 });
        return [
          simple('IRQL', `${p.irql} (${irqlName(p.irql)})`),
          simple('Running', t.context),
          simple('Thread', p.current.name),
          simple('Time', `${(p.clock / 1e6).toFixed(6)} ms`),
          { name: 'DPC queue', value: `${p.dpcQueue.length} queued${p.dpcRoutineActive ? ', a DPC routine is running' : ''}`, variablesReference: p.dpcQueue.length > 0 ? this.vars.create({ kind: 'dpcQueue', cpu: ref.cpu }) : 0 },
          simple('Pending interrupts', pending.length > 0 ? pending.join(', ') : 'none'),
          simple('Interrupts taken', String(p.interruptCount)),
        ];
      }
      case 'dpcQueue': {
        const p = m.k.prcbs[ref.cpu];
        const kdpc = m.program.typedefs.get('KDPC');
        return p.dpcQueue.map((dpc, i) => {
          const routine = m.k.symbol(m.k.mem.readPtr(dpc + m.k.layouts.offsetOf('KDPC', 'DeferredRoutine')));
          if (!kdpc) return { name: `[${i}]`, value: `KDPC ${hexAddress(dpc)} ${routine}`, variablesReference: 0 };
          const v = this.variable(`[${i}]`, { type: kdpc, loc: { kind: 'memory', address: dpc } }, `*(PKDPC)${hexAddress(dpc)}`);
          v.value = `${routine} — ${v.value}`;
          return v;
        });
      }
      case 'devices':
        return m.config.devices.map((d, index) => ({ name: d.id, value: `${m.models[index].model}`, variablesReference: this.vars.create({ kind: 'device', index }) }));
      case 'device':
        return m.models[ref.index].registers().map((r) => ({
          name: r.name,
          value: `0x${(r.value >>> 0).toString(16).toUpperCase().padStart(r.size * 2, '0')}`,
          type: `${r.size * 8}-bit register${r.internal ? ' (internal)' : ''} at +0x${r.offset.toString(16)}`,
          variablesReference: 0,
        }));
    }
  }

  private variable(name: string, tv: TypedValue, expr: string): DebugProtocol.Variable {
    const dbg = this.dbg as MachineDebugger;
    const shape = dbg.reader.shape(tv);
    const v: DebugProtocol.Variable = {
      name,
      value: dbg.reader.format(tv, { hex: this.hex }),
      type: typeLabel(tv.type),
      evaluateName: expr,
      variablesReference: shape.expandable ? this.vars.create({ kind: 'value', tv, expr }) : 0,
    };
    if (shape.indexed !== undefined && shape.expandable) v.indexedVariables = shape.indexed;
    const mem = dbg.reader.memoryReference(tv);
    if (mem !== undefined) v.memoryReference = hexAddress(mem);
    return v;
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    if (!this.requireStopped(response)) return;
    const ref = typeof args?.variablesReference === 'number' ? this.vars.get(args.variablesReference) : undefined;
    if (!ref || !this.dbg || typeof args.name !== 'string' || typeof args.value !== 'string') return this.fail(response, 'setVariable needs a variables reference, a name and a value');
    const dbg = this.dbg;
    let target: TypedValue | undefined;
    let frame: Frame | undefined;
    if (ref.kind === 'locals') {
      frame = ref.frame;
      const { params, locals } = dbg.variablesOf(ref.frame);
      target = [...params, ...locals].find((x) => x.v.name === args.name)?.tv;
    } else if (ref.kind === 'globals') target = dbg.globals().find((x) => x.v.name === args.name)?.tv;
    else if (ref.kind === 'value') target = dbg.reader.children(ref.tv, ref.expr).find((c) => c.name === args.name)?.tv;
    if (!target) return this.fail(response, `'${args.name}' cannot be set here`);
    const r = dbg.evaluate(args.value, frame);
    if (!r.ok) return this.fail(response, r.message);
    const value = dbg.reader.scalar(r.value);
    if (value === undefined || !['int', 'enum', 'ptr', 'float'].includes(target.type.kind)) return this.fail(response, `only scalar variables can be set (${args.name} is ${typeLabel(target.type)})`);
    if (!dbg.store(target, value)) return this.fail(response, `cannot write ${args.name}`);
    response.body = { value: dbg.reader.format(target, { hex: args.format?.hex ?? false }), type: typeLabel(target.type) };
    this.sendResponse(response);
    this.sendEvent(new InvalidatedEvent(['variables']));
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    if (!args || typeof args.expression !== 'string') return this.fail(response, 'evaluate needs an expression');
    if (!this.dbg) return this.fail(response, 'no program is loaded');
    if (this.running) return this.fail(response, 'the machine is running: pause it to evaluate');
    const selected = args.frameId !== undefined ? this.frameOf(args.frameId) : undefined;
    const frame = selected?.info.frame;
    if (args.context === 'repl') {
      // WinDbg's commands in the Debug Console (!irql, !dpcs, k, dt, db, ...); C otherwise.
      const ctx = { dbg: this.dbg, cpu: selected?.cpu ?? this.lastStop?.cpu ?? 0, ...(frame ? { frame } : {}) };
      if (isCommand(args.expression, ctx)) {
        const c = runCommand(args.expression, ctx);
        if (!c.ok) return this.fail(response, c.message);
        response.body = { result: c.text, variablesReference: 0 };
        return this.sendResponse(response);
      }
    }
    const r = this.dbg.evaluate(args.expression, frame, args.context === 'repl');
    if (!r.ok) return this.fail(response, r.message);
    const v = this.variable(args.expression, r.value, args.expression);
    response.body = { result: v.value, type: v.type, variablesReference: v.variablesReference, ...(v.indexedVariables !== undefined ? { indexedVariables: v.indexedVariables } : {}), ...(v.memoryReference ? { memoryReference: v.memoryReference } : {}) };
    this.sendResponse(response);
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    if (!args || typeof args.text !== 'string' || !Number.isInteger(args.column)) return this.fail(response, 'completions needs text and a column');
    if (!this.dbg || this.running) {
      response.body = { targets: [] };
      return this.sendResponse(response);
    }
    const selected = args.frameId !== undefined ? this.frameOf(args.frameId) : undefined;
    const frame = selected?.info.frame;
    const ctx = { dbg: this.dbg, cpu: selected?.cpu ?? this.lastStop?.cpu ?? 0, ...(frame ? { frame } : {}) };
    if (isCommand(args.text, ctx) || /^[!.]/.test(args.text.trim())) {
      // DAP columns count from 1; the command completer's from 0.
      response.body = { targets: commandCompletions(args.text, args.column - 1, ctx).map((c) => ({ label: c.label, ...(c.detail ? { detail: c.detail } : {}) })) };
      return this.sendResponse(response);
    }
    const targets = completeExpression(args.text, args.column, this.dbg.scopeOf(frame)).map((c) => ({ label: c.label, type: c.type, length: c.length, ...(c.detail ? { detail: c.detail } : {}) }));
    response.body = { targets };
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    if (this.lastStop?.reason !== 'exception') return this.fail(response, 'not stopped at an exception');
    const bc = this.machine?.bugCheck;
    if (!bc) {
      // A breakpoint exception the debugger took (DbgBreakPoint, a failed ASSERT).
      response.body = { exceptionId: 'STATUS_BREAKPOINT (0x80000003)', description: this.lastStop.text ?? this.lastStop.description, breakMode: 'always' };
      return this.sendResponse(response);
    }
    const code = `0x${bc.code.toString(16).toUpperCase()}`;
    response.body = {
      exceptionId: code,
      description: this.lastStop.text,
      breakMode: 'always',
      details: { message: bc.reason, typeName: `BugCheck ${code}`, stackTrace: bc.stack.join('\n') },
    };
    this.sendResponse(response);
  }

  // ---- memory ---------------------------------------------------------------------------------------

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const base = parseAddress(args?.memoryReference);
    if (base === undefined || !Number.isInteger(args.count) || args.count < 0) return this.fail(response, 'readMemory needs a memoryReference (an address) and a count');
    const mem = this.machine?.k.mem;
    if (!mem) return this.fail(response, 'no program is loaded');
    const start = fromUnsigned(base + BigInt(args.offset ?? 0));
    const count = Math.min(args.count, 1 << 20);
    // Readable bytes up to the first unreadable page; the rest is reported unreadable.
    const bytes: number[] = [];
    for (let i = 0; i < count; i++) {
      const b = mem.peekBytes(start + i, 1);
      if (!b) break;
      bytes.push(b[0]);
    }
    response.body = { address: `0x${toUnsigned(start).toString(16)}`, data: Buffer.from(bytes).toString('base64'), unreadableBytes: count - bytes.length };
    this.sendResponse(response);
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    const base = parseAddress(args?.memoryReference);
    if (base === undefined || typeof args.data !== 'string') return this.fail(response, 'writeMemory needs a memoryReference and base64 data');
    const mem = this.machine?.k.mem;
    if (!mem) return this.fail(response, 'no program is loaded');
    const bytes = Buffer.from(args.data, 'base64');
    if (!this.dbg?.writeMemory(fromUnsigned(base + BigInt(args.offset ?? 0)), bytes)) return this.fail(response, 'that memory cannot be written (unmapped, read-only or device registers)');
    response.body = { bytesWritten: bytes.length };
    this.sendResponse(response);
    this.sendEvent(new InvalidatedEvent(['variables']));
  }

  // ---- helpers ------------------------------------------------------------------------------------

  /** A DAP thread: a processor, or a system thread (with the processor it runs on, else 0). */
  private threadOf(threadId: unknown): { cpu: number; system?: number } | undefined {
    const cpu = this.cpuOf(threadId);
    if (cpu !== undefined) return { cpu };
    if (typeof threadId !== 'number') return undefined;
    const t = this.dbg?.systemThreads().find((x) => x.id === threadId - SYSTEM_THREAD_BASE);
    return t ? { cpu: t.cpu ?? 0, system: t.id } : undefined;
  }

  private cpuOf(threadId: unknown): number | undefined {
    const n = this.machine?.k.prcbs.length ?? 0;
    return typeof threadId === 'number' && Number.isInteger(threadId) && threadId >= 1 && threadId <= n ? threadId - 1 : undefined;
  }

  private frameOf(frameId: unknown): { cpu: number; info: StackFrameInfo } | undefined {
    return typeof frameId === 'number' ? this.frames.get(frameId) : undefined;
  }

  /** Requests about a stopped program: an error response (not a crash) otherwise. */
  private requireStopped(response: DebugProtocol.Response): boolean {
    if (!this.dbg) {
      this.fail(response, 'no program is loaded (launch first)');
      return false;
    }
    if (this.terminated) {
      this.fail(response, 'the program has ended');
      return false;
    }
    if (this.running) {
      this.fail(response, 'the machine is running: pause it first');
      return false;
    }
    return true;
  }

  private fail(response: DebugProtocol.Response, message: string): void {
    this.sendErrorResponse(response, { id: 1002, format: message.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')')), showUser: false });
  }

  /** kdsim's own requests: the Kernel View's state and the extension's commands. */
  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    const a = (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>;
    switch (command) {
      case KDSIM_STATE_REQUEST:
        if (!this.machine) return this.fail(response, 'no program is loaded');
        response.body = buildState(this.machine, ++this.stateVersion, !this.running);
        return this.sendResponse(response);
      case 'kdsim/stepToNextInterrupt':
      case 'kdsim/stepToNextDpc':
        if (!this.requireStopped(response)) return;
        this.dbg?.runToNextRoutine(command === 'kdsim/stepToNextInterrupt' ? 'interrupt' : 'dpc');
        this.sendResponse(response);
        // A custom request resumes the machine: the client learns it from this event.
        this.sendEvent(new ContinuedEvent((this.lastStop?.cpu ?? 0) + 1, true));
        return this.resume();
      case 'kdsim/travelTo': {
        // The Kernel View's timeline: back (or on) to the first driver statement at a moment.
        if (!this.requireStopped(response)) return;
        if (typeof a.timeNs !== 'number' || !Number.isFinite(a.timeNs) || a.timeNs < 0) return this.fail(response, "travelTo needs 'timeNs': a simulated time in nanoseconds");
        if (a.cpu !== undefined && this.cpuOf(typeof a.cpu === 'number' ? a.cpu + 1 : a.cpu) === undefined) return this.fail(response, `'cpu' must be a processor number (0 to ${(this.machine?.k.prcbs.length ?? 1) - 1})`);
        return this.timeTravel(response, { kind: 'toTime', timeNs: a.timeNs, ...(typeof a.cpu === 'number' ? { cpu: a.cpu } : {}) });
      }
      case 'kdsim/fireInterrupt': {
        if (!this.dbg || !this.machine || this.terminated) return this.fail(response, 'no program is running');
        const ids = this.machine.config.devices.map((d) => d.id);
        const device = a.device === undefined ? ids.find((_, i) => this.machine?.config.devices[i].resources.some((r) => r.type === 'interrupt')) : a.device;
        const index = typeof device === 'string' ? ids.indexOf(device) : -1;
        if (index < 0) return this.fail(response, `fireInterrupt needs 'device': one of ${ids.join(', ') || '(no devices)'}`);
        const atNs = this.dbg.fireInterrupt(index, typeof a.data === 'number' ? a.data : undefined);
        response.body = { device: ids[index], atNs };
        return this.sendResponse(response);
      }
      default:
        return this.fail(response, `unknown request '${command}'`);
    }
  }
}

/** The same file under two spellings (case and separators matter only on Windows). */
function samePath(a: string, b: string): boolean {
  if (a === b) return true;
  const norm = (p: string): string => (process.platform === 'win32' ? resolvePath(p).toLowerCase() : resolvePath(p));
  return norm(a) === norm(b);
}

/** "0xfffff80000001000" (or decimal) → the unsigned 64-bit address. */
function parseAddress(ref: unknown): bigint | undefined {
  if (typeof ref !== 'string' || !/^(0x[0-9a-f`]+|\d+)$/i.test(ref.trim())) return undefined;
  try {
    return BigInt.asUintN(64, BigInt(ref.trim().replace(/`/g, '')));
  } catch {
    return undefined;
  }
}
