// The Debug Console's WinDbg-style commands (KERNEL_MODEL §7): kernel extensions (!irql,
// !dpcs, !pcr, !prcb, !idt, !timer, !devobj, !drvobj, !irp, !analyze), stacks (k, kb, kn),
// types and memory (dt, db/dw/dd/dq), modules (lm), ? and .bugcheck. The console sends a line
// here when isCommand says so; anything else is a C expression. Nothing here throws, and
// nothing changes the machine: memory is read with Memory.peekBytes only.

import { ARENA_BASE, toUnsigned } from '../vm/memory';
import { formatAnalyze, formatBugCheckLine, bugCheckName } from '../verifier/bugcheck';
import {
  addressOfValue,
  type CommandContext,
  type CommandResult,
  done,
  fail,
  hex2,
  parseNumber,
  tick,
  tick64,
  words,
} from './command-util';
import { dtCommand, typeNames } from './dump-type';
import { dumpCommand } from './dump-memory';
import { dpcsCommand, idtCommand, irqlCommand, pcrCommand, prcbCommand, timerCommand } from './kdexts-ke';
import { devobjCommand, drvobjCommand, irpCommand } from './kdexts-io';

export type { CommandContext, CommandResult } from './command-util';

interface Command {
  name: string;
  syntax: string;
  help: string;
  run(ctx: CommandContext, args: string, name: string): CommandResult;
}

const COMMANDS: Command[] = [
  { name: '!irql', syntax: '!irql [processor]', help: 'the IRQL the processor was at when it stopped', run: irqlCommand },
  { name: '!dpcs', syntax: '!dpcs [processor]', help: 'the DPC queues (normal and threaded) and the DPC running, per processor', run: dpcsCommand },
  { name: '!pcr', syntax: '!pcr [processor]', help: 'the processor control region: IRQL, threads, pending vectors, DPC queue', run: pcrCommand },
  { name: '!prcb', syntax: '!prcb [processor]', help: 'the processor block: threads, interrupt count, DPC queue state', run: prcbCommand },
  { name: '!idt', syntax: '!idt', help: 'the connected interrupt vectors and their KINTERRUPT objects', run: idtCommand },
  { name: '!timer', syntax: '!timer', help: 'the set KTIMERs: due time, period, DPC', run: timerCommand },
  { name: '!devobj', syntax: '!devobj <address | name | expr>', help: 'a DEVICE_OBJECT: driver, current IRP, flags, extension, stack', run: devobjCommand },
  { name: '!drvobj', syntax: '!drvobj <address | name | expr> [flags]', help: 'a DRIVER_OBJECT: devices, entry points, dispatch routines', run: drvobjCommand },
  { name: '!irp', syntax: '!irp <address | expr>', help: 'an IRP: header and stack locations (current one marked >)', run: irpCommand },
  { name: '!analyze', syntax: '!analyze [-v]', help: 'the bug check analysis (after a bug check)', run: analyzeCommand },
  { name: 'k', syntax: 'k [frames]', help: "the selected processor's call stack", run: stackCommand },
  { name: 'kb', syntax: 'kb [frames]', help: 'the call stack with the first four arguments of each frame', run: stackCommand },
  { name: 'kn', syntax: 'kn [frames]', help: 'the call stack with frame numbers', run: stackCommand },
  { name: 'dt', syntax: 'dt [-r[depth]] <type> [address | expr]', help: 'a type layout, or an object of that type in memory', run: dtCommand },
  { name: 'db', syntax: 'db <address | expr> [L<count>]', help: 'memory as bytes and ASCII', run: (c, a) => dumpCommand(c, 'db', a) },
  { name: 'dw', syntax: 'dw <address | expr> [L<count>]', help: 'memory as 16-bit words', run: (c, a) => dumpCommand(c, 'dw', a) },
  { name: 'dd', syntax: 'dd <address | expr> [L<count>]', help: 'memory as 32-bit double words', run: (c, a) => dumpCommand(c, 'dd', a) },
  { name: 'dq', syntax: 'dq <address | expr> [L<count>]', help: 'memory as 64-bit quad words', run: (c, a) => dumpCommand(c, 'dq', a) },
  { name: 'lm', syntax: 'lm', help: 'the loaded modules: the driver and nt', run: lmCommand },
  { name: '?', syntax: '? <expr>', help: 'an expression as a 64-bit number, in decimal and hex', run: evaluateCommand },
  { name: '.bugcheck', syntax: '.bugcheck', help: 'the bug check code and its four arguments', run: bugcheckCommand },
  { name: '.help', syntax: '.help', help: 'this list', run: helpCommand },
];

const BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));
/** Commands without a ! or . prefix: a line is one only when the word stands alone or is followed by a blank. */
const PLAIN = new Set(COMMANDS.filter((c) => /^[a-z]/.test(c.name)).map((c) => c.name));

/** Splits a line into its command name (lower case) and argument text. */
function parse(line: string): { name: string; args: string } | undefined {
  const t = line.trim();
  if (t.startsWith('?')) return { name: '?', args: t.slice(1) };
  const m = /^([!.]?[A-Za-z_]\w*)(?:\s+([\s\S]*))?$/.exec(t);
  return m ? { name: m[1].toLowerCase(), args: m[2] ?? '' } : undefined;
}

/**
 * True for lines the Debug Console runs as commands: `!extension ...`, `.command`, `? expr`,
 * and k/kb/kn/dt/db/dw/dd/dq/lm standing alone or followed by a blank. `!name` is C's logical
 * not when `name` is no extension and (given a context) evaluates as C, e.g. `!finished`.
 */
export function isCommand(line: string, ctx?: CommandContext): boolean {
  const t = line.trim();
  if (/^\.[A-Za-z]/.test(t) || /^\?(\s|$)/.test(t)) return true;
  const p = parse(t);
  if (!p) return false;
  if (t.startsWith('!')) {
    if (BY_NAME.has(p.name)) return true;
    if (ctx && ctx.dbg.evaluate(t, ctx.frame).ok) return false;
    return /^![A-Za-z_]\w*(\s|$)/.test(t);
  }
  return PLAIN.has(p.name);
}

/** Runs one console command; the text is what the console prints. */
export function runCommand(line: string, ctx: CommandContext): CommandResult {
  const p = parse(line);
  if (!p) return fail(`'${line.trim()}' is not a command. Type .help for the list of commands.`);
  const cmd = BY_NAME.get(p.name) ?? (p.name === '!help' ? BY_NAME.get('.help') : undefined);
  if (!cmd) return unknown(line.trim(), p.name, ctx);
  if (!ctx.dbg.cpus[ctx.cpu]) return fail(`no processor ${ctx.cpu}`);
  try {
    return cmd.run(ctx, p.args, p.name);
  } catch (e) {
    // A command is a reader: an exception here is a kdsim bug, reported rather than thrown.
    return fail(`${cmd.name}: internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function unknown(line: string, name: string, ctx: CommandContext): CommandResult {
  // `!flag` where flag is a variable: C's logical not, evaluated as the console would.
  if (line.startsWith('!')) {
    const r = ctx.dbg.evaluate(line, ctx.frame);
    if (r.ok) return done(ctx.dbg.reader.format(r.value));
  }
  const near = COMMANDS.filter((c) => c.name.startsWith(name.slice(0, Math.max(2, name.length - 1))) || name.startsWith(c.name)).map((c) => c.name);
  const hint = near.length ? ` Did you mean ${near.join(', ')}?` : '';
  return fail(`Unknown command '${name}'.${hint} Type .help for the list of commands; anything else is evaluated as a C expression.`);
}

function helpCommand(): CommandResult {
  const width = Math.max(...COMMANDS.map((c) => c.syntax.length));
  return done(
    [
      'kdsim Debug Console commands (WinDbg names; everything else is a C expression in the selected frame):',
      '',
      ...COMMANDS.map((c) => `  ${c.syntax.padEnd(width)}  ${c.help}`),
      '',
      'Numbers are hex by default, as in WinDbg (10 = 16; 0n10 = ten); addresses may be written fffff800`00001000.',
      'An address argument may be any C expression: DeviceObject, &ext->Dpc, Irp->Tail.Overlay.ListEntry.Flink.',
      'To evaluate a C variable named like a command (k, dt, db...), put it in parentheses: (k).',
    ].join('\n'),
  );
}

// ---- stacks ----------------------------------------------------------------------------------

/** k / kb / kn: the frames of the selected processor, innermost first (KERNEL_MODEL §7). */
function stackCommand(ctx: CommandContext, args: string, name: string): CommandResult {
  const w = words(args);
  const limit = w.length ? parseNumber(w[0]) : undefined;
  if (w.length > 1 || (w.length === 1 && (limit === undefined || limit === 0n))) return fail(`usage: ${name} [frame count]`);
  const dbg = ctx.dbg;
  const frames = dbg.stack(ctx.cpu).slice(0, limit === undefined ? undefined : Number(limit));
  const p = dbg.cpus[ctx.cpu];
  const withArgs = name === 'kb';
  // kdsim interprets C: there are no return addresses, so WinDbg's RetAddr column is left out.
  const lines = [withArgs ? ` # Child-SP          : Args to Child${' '.repeat(59)}: Call Site` : ' # Child-SP          Call Site'];
  frames.forEach((f, i) => {
    const sp = f.frame ? f.frame.sp : p.current.ctx.stack.start + p.current.ctx.stack.size;
    const site = `${f.name}${f.pos ? ` [${f.pos.file.path} @ ${f.pos.line}]` : ''}`;
    let argText = '';
    if (withArgs) {
      const params = f.frame && !f.kernel ? dbg.variablesOf(f.frame).params.slice(0, 4) : [];
      const values = [0, 1, 2, 3].map((j) => {
        const tv = params[j]?.tv;
        const a = tv ? addressOfValue(dbg, tv) : 0;
        return a === undefined ? '????????`????????' : tick(a);
      });
      argText = `: ${values.join(' ')} : `;
    }
    lines.push(`${hex2(i)} ${tick(sp)} ${argText}${site}`);
  });
  return done(lines.join('\n'));
}

// ---- modules, bug check, expressions -----------------------------------------------------------

function lmCommand(ctx: CommandContext, args: string): CommandResult {
  if (words(args).length > 0) return fail('usage: lm');
  const m = ctx.dbg.machine;
  const image = m.image.image;
  const sources = m.program.files.filter((f) => !f.system).map((f) => f.path);
  return done(
    [
      'start             end                 module name',
      `${tick(ARENA_BASE)} ${tick(ARENA_BASE + m.k.mem.size)}   ${'nt'.padEnd(10)} (simulated kernel: kdsim's DDIs and objects; no image)`,
      `${tick(image.start)} ${tick(image.start + image.size)}   ${m.config.name.padEnd(10)} (private pdb symbols)  ${sources.join(', ')}`,
    ].join('\n'),
  );
}

function analyzeCommand(ctx: CommandContext, args: string): CommandResult {
  const w = words(args);
  if (w.some((x) => x.toLowerCase() !== '-v')) return fail('usage: !analyze [-v]');
  const bc = ctx.dbg.machine.bugCheck;
  if (!bc) return done('No bug check has occurred: !analyze examines a crash, and the simulated machine has not crashed.\nUse !irql, !dpcs, k and dt to look at the state it is stopped in.');
  if (w.length) return done(formatAnalyze(bc));
  const code = (bc.code >>> 0).toString(16);
  return done([`Bugcheck Analysis`, '', `${bugCheckName(bc.code)} (${code})`, formatBugCheckLine(bc.code, bc.args), '', 'Use !analyze -v to get detailed debugging information.'].join('\n'));
}

function bugcheckCommand(ctx: CommandContext, args: string): CommandResult {
  if (words(args).length > 0) return fail('usage: .bugcheck');
  const bc = ctx.dbg.machine.bugCheck;
  if (!bc) return done('No bug check has occurred.');
  return done(formatBugCheckLine(bc.code, bc.args));
}

/** `? expr`: WinDbg's "Evaluate expression: <decimal> = <hex>". */
function evaluateCommand(ctx: CommandContext, args: string): CommandResult {
  const t = args.trim();
  if (t === '') return fail('usage: ? <expression>');
  let value = /^[a-fA-F]+$/.test(t) ? undefined : parseNumber(t);
  if (value === undefined) {
    const r = ctx.dbg.evaluate(t, ctx.frame);
    if (!r.ok) {
      value = parseNumber(t);
      if (value === undefined) return fail(r.message);
    } else {
      const tv = r.value;
      if (tv.type.kind === 'int' || tv.type.kind === 'enum') {
        const v = ctx.dbg.reader.scalar(tv);
        if (v === undefined) return fail(`cannot read ${t}`);
        value = BigInt.asUintN(64, BigInt(v));
      } else {
        const a = addressOfValue(ctx.dbg, tv);
        if (a === undefined) return done(`${t} = ${ctx.dbg.reader.format(tv)}`);
        return done(`Evaluate expression: ${BigInt.asIntN(64, toUnsigned(a))} = ${tick(a)}`);
      }
    }
  }
  return done(`Evaluate expression: ${BigInt.asIntN(64, value)} = ${tick64(value)}`);
}

// ---- completion ------------------------------------------------------------------------------------

export interface CommandCompletion {
  label: string;
  detail?: string;
}

const MAX_COMPLETIONS = 200;

/**
 * Completions for the console at `column` (0-based, in `line`): command names while the first
 * word is typed, type names after `dt`, and (given a context) device and driver names, processor
 * numbers, the driver's globals, functions and the frame's variables as arguments.
 */
export function commandCompletions(line: string, column: number, ctx?: CommandContext): CommandCompletion[] {
  const before = line.slice(0, Math.max(0, Math.min(column, line.length)));
  const lead = before.replace(/^\s+/, '');
  if (!/\s/.test(lead)) {
    const word = lead.toLowerCase();
    return COMMANDS.filter((c) => c.name.startsWith(word)).map((c) => ({ label: c.name, detail: `${c.syntax} — ${c.help}` }));
  }
  const p = parse(lead);
  if (!p || !ctx) return [];
  const args = lead.slice(lead.search(/\s/)).replace(/^\s+/, '');
  const current = /(\S*)$/.exec(args)?.[1] ?? '';
  const argIndex = words(args).length - (current === '' ? 0 : 1);
  const pick = (labels: Iterable<string>, detail?: string): CommandCompletion[] => {
    const lc = current.toLowerCase();
    const out: CommandCompletion[] = [];
    for (const l of labels) {
      if (out.length >= MAX_COMPLETIONS) break;
      if (l.toLowerCase().startsWith(lc)) out.push(detail ? { label: l, detail } : { label: l });
    }
    return out;
  };
  const k = ctx.dbg.machine.k;
  switch (p.name) {
    case 'dt': {
      const options = words(args).filter((x) => x.startsWith('-')).length;
      if (argIndex - options === 0 && !current.startsWith('-')) return pick(typeNames(ctx), 'type');
      return symbols(ctx, pick);
    }
    case '!irql':
    case '!dpcs':
    case '!pcr':
    case '!prcb':
      return argIndex === 0 ? pick(ctx.dbg.cpus.map((c) => c.number.toString(16)), 'processor') : [];
    case '!devobj':
      return [...pick([...k.io.devices.values()].flatMap((d) => (d.name ? [d.name] : [])), 'device'), ...symbols(ctx, pick)];
    case '!drvobj':
      return [...pick([...k.io.drivers.values()].map((n) => `\\Driver\\${n}`), 'driver'), ...symbols(ctx, pick)];
    case '!irp':
    case 'db':
    case 'dw':
    case 'dd':
    case 'dq':
    case '?':
      return symbols(ctx, pick);
    case '!analyze':
      return pick(['-v']);
    default:
      return [];
  }
}

/** Names an address argument can start with: the frame's variables, the driver's globals and functions. */
function symbols(ctx: CommandContext, pick: (labels: Iterable<string>, detail?: string) => CommandCompletion[]): CommandCompletion[] {
  const dbg = ctx.dbg;
  const vars = ctx.frame && !ctx.frame.native ? dbg.variablesOf(ctx.frame) : { params: [], locals: [] };
  return [
    ...pick([...vars.params, ...vars.locals].map((x) => x.v.name), 'local'),
    ...pick(dbg.globals().map((g) => g.v.name), 'global'),
    ...pick([...dbg.machine.image.functions.values()].filter((f) => !f.obj.pos.file.system).map((f) => f.name).sort(), 'function'),
  ].slice(0, MAX_COMPLETIONS);
}
