// The 16550A UART against its documented register behaviour (PC16550D datasheet), driven
// through its 8-port window the way a serial port driver programs and services it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FCR_ENABLE,
  FCR_RX_RESET,
  FCR_TX_RESET,
  IER_EDSSI,
  IER_ELSI,
  IER_ERBFI,
  IER_ETBEI,
  IIR_MODEM,
  IIR_NONE,
  IIR_RDA,
  IIR_RLS,
  IIR_THRE,
  IIR_TIMEOUT,
  LCR_DLAB,
  LSR_BI,
  LSR_DR,
  LSR_OE,
  LSR_PE,
  LSR_RXFE,
  LSR_TEMT,
  LSR_THRE,
  MCR_DTR,
  MCR_LOOP,
  MCR_OUT1,
  MCR_OUT2,
  MCR_RTS,
  MSR_CTS,
  MSR_DCD,
  MSR_DCTS,
  MSR_DDCD,
  MSR_DDSR,
  MSR_DSR,
  MSR_RI,
  MSR_TERI,
  Uart16550,
} from '../../kernel-sim/devices/uart16550';
import { FakeHost } from './fake-host';

const RBR = 0;
const IER = 1;
const IIR = 2;
const LCR = 3;
const MCR = 4;
const LSR = 5;
const MSR = 6;
const SCR = 7;
const LCR_8N1 = 0x03;
const FCR_TRIGGER_14 = 0xc0;
const IER_ALL = IER_ERBFI | IER_ETBEI | IER_ELSI | IER_EDSSI;
/** One 8N1 character at 115200 baud: 10 bits. */
const CHAR_115200 = Math.round(10e9 / 115200);

function setup(): { dev: Uart16550; host: FakeHost } {
  const dev = new Uart16550('com1');
  // One ISA IRQ, driven as a level on line 0; the UART never pulses.
  const host = new FakeHost(dev, { lineCount: 1, pulseCount: 0 });
  return { dev, host };
}

const rd = (dev: Uart16550, reg: number): number => dev.read(0, reg, 1);
const wr = (dev: Uart16550, reg: number, v: number): void => dev.write(0, reg, 1, v);

/** What a serial driver's initialization does: divisor, 8N1, FIFOs with a trigger, IER, MCR. */
function init(dev: Uart16550, o: { divisor?: number; fcr?: number; ier?: number; mcr?: number } = {}): void {
  const divisor = o.divisor ?? 1;
  wr(dev, LCR, LCR_DLAB);
  wr(dev, RBR, divisor & 0xff);
  wr(dev, IER, divisor >> 8);
  wr(dev, LCR, LCR_8N1);
  wr(dev, IIR, o.fcr ?? FCR_ENABLE | FCR_RX_RESET | FCR_TX_RESET | FCR_TRIGGER_14);
  wr(dev, MCR, o.mcr ?? MCR_DTR | MCR_RTS | MCR_OUT2);
  wr(dev, IER, o.ier ?? IER_ALL);
}

/** Drains the MSR/THRE causes a fresh init leaves pending. */
function quiesce(dev: Uart16550): void {
  rd(dev, MSR);
  rd(dev, LSR);
  while ((rd(dev, IIR) & 0x0f) !== IIR_NONE) {
    /* reading IIR with THRE identified clears it */
  }
}

test('power-on: IIR none pending, LSR THRE|TEMT, no FIFO bits', () => {
  const { dev, host } = setup();
  assert.equal(rd(dev, IIR), IIR_NONE);
  assert.equal(rd(dev, LSR), LSR_THRE | LSR_TEMT);
  assert.equal(host.lineLog.length, 0);
});

test('DLAB banks offsets 0 and 1 between RBR/THR/IER and the divisor latch', () => {
  const { dev, host } = setup();
  wr(dev, LCR, LCR_DLAB | LCR_8N1);
  wr(dev, RBR, 0x34);
  wr(dev, IER, 0x12);
  assert.equal(rd(dev, RBR), 0x34);
  assert.equal(rd(dev, IER), 0x12);
  assert.equal(dev.baud(), 115200 / 0x1234);
  wr(dev, LCR, LCR_8N1);
  assert.equal(rd(dev, IER), 0, 'IER is untouched by the divisor writes');
  wr(dev, IER, 0xff);
  assert.equal(rd(dev, IER), 0x0f, 'IER bits 4-7 are always 0');
  wr(dev, RBR, 0x55); // THR, not DLL
  assert.equal(host.queue.length, 1, 'the THR write started a transmission');
  wr(dev, LCR, LCR_DLAB);
  assert.equal(rd(dev, RBR), 0x34);
  assert.equal(rd(dev, IER), 0x12);
  const regs = Object.fromEntries(dev.registers().map((r) => [r.name, r.value]));
  assert.equal(regs.DLL, 0x34);
  assert.equal(regs.DLM, 0x12);
  assert.equal(regs.IER, 0x0f);
});

test('scratch register holds any byte', () => {
  const { dev } = setup();
  for (const v of [0x00, 0x5a, 0xa5, 0xff]) {
    wr(dev, SCR, v);
    assert.equal(rd(dev, SCR), v);
  }
});

test('character time follows divisor and LCR word length, parity and stop bits', () => {
  const { dev } = setup();
  init(dev, { divisor: 12 });
  assert.equal(dev.baud(), 9600);
  assert.equal(dev.charTimeNs(), Math.round(10e9 / 9600)); // 8N1: 10 bits
  wr(dev, LCR, 0x03 | 0x08 | 0x04); // 8 data, parity, 2 stop: 12 bits
  assert.equal(dev.charTimeNs(), Math.round(12e9 / 9600));
  wr(dev, LCR, 0x00 | 0x04); // 5 data, 1.5 stop: 7.5 bits
  assert.equal(dev.charTimeNs(), Math.round(7.5e9 / 9600));
});

test('a transmitted byte leaves after one character time at the configured baud', () => {
  const { dev, host } = setup();
  init(dev, { divisor: 12, ier: 0 });
  const charNs = Math.round(10e9 / 9600);
  wr(dev, RBR, 0x41);
  assert.equal(rd(dev, LSR) & (LSR_THRE | LSR_TEMT), LSR_THRE, 'THR empty at once, shift register busy');
  wr(dev, RBR, 0x42);
  assert.equal(rd(dev, LSR) & (LSR_THRE | LSR_TEMT), 0);
  host.advance(charNs - 1);
  assert.deepEqual(host.sent('tx'), []);
  host.advance(1);
  assert.deepEqual(host.outputsOf('tx'), [{ atNs: charNs, kind: 'tx', data: [0x41] }]);
  host.run(2 * charNs);
  assert.deepEqual(host.sent('tx'), [0x41, 0x42]);
  assert.equal(host.outputsOf('tx')[1].atNs, 2 * charNs);
  assert.equal(rd(dev, LSR) & (LSR_THRE | LSR_TEMT), LSR_THRE | LSR_TEMT);
});

test('7-bit words transmit and receive only 7 data bits', () => {
  const { dev, host } = setup();
  init(dev, { ier: 0 });
  wr(dev, LCR, 0x02);
  wr(dev, RBR, 0xff);
  dev.act('receive', { bytes: [0xc1] });
  host.advance(dev.charTimeNs());
  assert.deepEqual(host.sent('tx'), [0x7f]);
  assert.equal(rd(dev, RBR), 0x41);
});

test('THRE interrupt: raised on ETBEI enable, cleared by IIR read, re-raised on ETBEI 0→1, cleared by THR write', () => {
  const { dev, host } = setup();
  init(dev, { ier: 0 });
  assert.equal(host.level(), false);
  wr(dev, IER, IER_ETBEI);
  assert.equal(host.level(), true, 'enabling ETBEI with THR empty raises THRE');
  assert.equal(rd(dev, IIR), 0xc0 | IIR_THRE, 'FIFO bits 6-7 set, THRE identified');
  assert.equal(host.level(), false, 'the IIR read that identified THRE cleared it');
  assert.equal(rd(dev, IIR), 0xc0 | IIR_NONE);
  // Writing IER again without a 0→1 change of ETBEI does not re-raise it.
  wr(dev, IER, IER_ETBEI);
  assert.equal(rd(dev, IIR), 0xc0 | IIR_NONE);
  wr(dev, IER, 0);
  wr(dev, IER, IER_ETBEI);
  assert.equal(rd(dev, IIR) & 0x0f, IIR_THRE, 're-raised when ETBEI goes 0→1 while THR empty');
  // The driver's ISR: THRE → fill the FIFO; the THR writes clear THRE until the FIFO drains.
  wr(dev, IER, 0);
  wr(dev, IER, IER_ETBEI);
  assert.equal(host.level(), true);
  for (let i = 0; i < 16; i++) wr(dev, RBR, 0x30 + i);
  assert.equal(host.level(), false, 'writing THR cleared THRE');
  assert.equal(rd(dev, IIR) & 0x0f, IIR_NONE);
  // The first byte went straight to the shift register; 15 wait in the FIFO.
  host.advance(14 * CHAR_115200);
  assert.equal(host.level(), false, 'one byte still in the FIFO');
  host.advance(CHAR_115200);
  assert.equal(host.level(), true, 'the last byte moved to the shift register: THRE again');
  assert.equal(rd(dev, LSR) & (LSR_THRE | LSR_TEMT), LSR_THRE, 'still shifting: TEMT = 0');
  assert.equal(rd(dev, IIR) & 0x0f, IIR_THRE);
  assert.equal(rd(dev, IIR) & 0x0f, IIR_NONE);
  host.advance(CHAR_115200);
  assert.deepEqual(host.sent('tx'), Array.from({ length: 16 }, (_, i) => 0x30 + i));
  // Enabling ETBEI while the THR holds data does not raise THRE.
  wr(dev, IER, 0);
  wr(dev, RBR, 1);
  wr(dev, RBR, 2);
  wr(dev, IER, IER_ETBEI);
  assert.equal(rd(dev, IIR) & 0x0f, IIR_NONE);
});

test('RX data available at the trigger level, cleared when the FIFO drops below it', () => {
  const { dev, host } = setup();
  init(dev);
  quiesce(dev);
  assert.equal(host.level(), false);
  dev.act('receive', { bytes: Array.from({ length: 14 }, (_, i) => i + 1) });
  host.advance(13 * CHAR_115200);
  assert.equal(rd(dev, LSR) & LSR_DR, LSR_DR);
  assert.equal(rd(dev, IIR) & 0x0f, IIR_NONE, '13 bytes: below trigger level 14');
  assert.equal(host.level(), false);
  host.advance(CHAR_115200);
  assert.equal(host.level(), true);
  assert.equal(rd(dev, IIR), 0xc0 | IIR_RDA);
  assert.equal(rd(dev, RBR), 1);
  assert.equal(rd(dev, IIR) & 0x0f, IIR_NONE, '13 left: below the trigger again');
  assert.equal(host.level(), false);
  const got = [1];
  while (rd(dev, LSR) & LSR_DR) got.push(rd(dev, RBR));
  assert.deepEqual(got, Array.from({ length: 14 }, (_, i) => i + 1));
});

test('trigger levels 1, 4 and 8', () => {
  for (const [bits, level] of [
    [0x00, 1],
    [0x40, 4],
    [0x80, 8],
  ] as const) {
    const { dev, host } = setup();
    init(dev, { fcr: FCR_ENABLE | bits, ier: IER_ERBFI });
    dev.act('receive', { bytes: new Array<number>(level).fill(0x61) });
    host.advance((level - 1) * CHAR_115200);
    assert.equal(rd(dev, IIR) & 0x0f, IIR_NONE, `level ${level}: one short`);
    host.advance(CHAR_115200);
    assert.equal(rd(dev, IIR) & 0x0f, IIR_RDA, `level ${level}: reached`);
  }
});

test('character timeout: 4 character times after the last byte, below the trigger level', () => {
  const { dev, host } = setup();
  init(dev);
  quiesce(dev);
  dev.act('receive', { bytes: 'hi!' });
  host.advance(3 * CHAR_115200);
  assert.equal(rd(dev, IIR) & 0x0f, IIR_NONE);
  host.advance(4 * CHAR_115200 - 1);
  assert.equal(host.level(), false, 'not yet 4 character times');
  host.advance(1);
  assert.equal(host.level(), true);
  assert.equal(rd(dev, IIR), 0xc0 | IIR_TIMEOUT);
  assert.equal(rd(dev, RBR), 0x68);
  assert.equal(host.level(), false, 'reading RBR clears the timeout and restarts the timer');
  host.advance(4 * CHAR_115200);
  assert.equal(rd(dev, IIR) & 0x0f, IIR_TIMEOUT, 'fires again for the remaining bytes');
  assert.equal(rd(dev, RBR), 0x69);
  assert.equal(rd(dev, RBR), 0x21);
  host.advance(10 * CHAR_115200);
  assert.equal(rd(dev, IIR) & 0x0f, IIR_NONE, 'no timeout with an empty FIFO');
});

test('a CPU read of the FIFO postpones the timeout', () => {
  const { dev, host } = setup();
  init(dev);
  quiesce(dev);
  dev.act('receive', { bytes: [1, 2] });
  host.advance(2 * CHAR_115200 + 3 * CHAR_115200);
  rd(dev, RBR);
  host.advance(2 * CHAR_115200);
  assert.equal(rd(dev, IIR) & 0x0f, IIR_NONE, '4 character times run from the read');
  host.advance(2 * CHAR_115200);
  assert.equal(rd(dev, IIR) & 0x0f, IIR_TIMEOUT);
});

test('overrun: the 17th byte sets OE, is lost, and LSR errors clear on read', () => {
  const { dev, host } = setup();
  init(dev);
  quiesce(dev);
  dev.act('receive', { bytes: Array.from({ length: 17 }, (_, i) => 0x40 + i) });
  host.advance(17 * CHAR_115200);
  assert.equal(rd(dev, IIR), 0xc0 | IIR_RLS, 'line status outranks data available');
  assert.equal(host.level(), true);
  const lsr = rd(dev, LSR);
  assert.equal(lsr & (LSR_OE | LSR_DR), LSR_OE | LSR_DR);
  assert.equal(rd(dev, LSR) & LSR_OE, 0, 'OE cleared by the LSR read');
  assert.equal(rd(dev, IIR) & 0x0f, IIR_RDA, 'next: the full FIFO');
  const got: number[] = [];
  while (rd(dev, LSR) & LSR_DR) got.push(rd(dev, RBR));
  assert.deepEqual(got, Array.from({ length: 16 }, (_, i) => 0x40 + i), 'the overrun byte never entered the FIFO');
});

test('character mode (FIFOs off): one RBR, overwritten on overrun, IIR bits 6-7 clear', () => {
  const { dev, host } = setup();
  init(dev, { fcr: 0 });
  quiesce(dev);
  dev.act('receive', { bytes: [1, 2] });
  host.advance(CHAR_115200);
  assert.equal(rd(dev, IIR), IIR_RDA);
  host.advance(CHAR_115200);
  assert.equal(rd(dev, IIR), IIR_RLS);
  assert.equal(rd(dev, LSR) & LSR_OE, LSR_OE);
  assert.equal(rd(dev, RBR), 2);
  assert.equal(rd(dev, IIR), IIR_NONE);
});

test('parity errors and breaks: PE/BI reported with their character, LSR bit 7 while in the FIFO', () => {
  const { dev, host } = setup();
  init(dev);
  quiesce(dev);
  dev.act('receive', { bytes: [0x31] });
  dev.act('receive', { bytes: [0x32], parityError: true });
  host.advance(2 * CHAR_115200);
  assert.equal(rd(dev, LSR), LSR_DR | LSR_RXFE | LSR_THRE | LSR_TEMT, 'PE belongs to the second byte, not yet on top');
  assert.equal(rd(dev, RBR), 0x31);
  assert.equal(rd(dev, IIR) & 0x0f, IIR_RLS);
  assert.equal(rd(dev, LSR) & (LSR_PE | LSR_RXFE), LSR_PE | LSR_RXFE);
  assert.equal(rd(dev, RBR), 0x32);
  assert.equal(rd(dev, LSR) & (LSR_PE | LSR_RXFE), 0);
  dev.act('break', {});
  host.advance(CHAR_115200);
  assert.equal(rd(dev, LSR) & (LSR_BI | LSR_DR), LSR_BI | LSR_DR);
  assert.equal(rd(dev, RBR), 0, 'a break loads one zero character');
});

test('IIR priority: line status > data available > THRE > modem status', () => {
  const { dev, host } = setup();
  init(dev, { fcr: FCR_ENABLE }); // trigger 1
  quiesce(dev);
  wr(dev, IER, 0);
  wr(dev, IER, IER_ALL); // THRE pending again
  dev.act('cts', { value: false }); // modem status pending
  dev.act('receive', { bytes: [7], framingError: true }); // data + line status
  host.advance(CHAR_115200);
  assert.equal(rd(dev, IIR) & 0x0f, IIR_RLS);
  rd(dev, LSR);
  assert.equal(rd(dev, IIR) & 0x0f, IIR_RDA);
  rd(dev, RBR);
  assert.equal(rd(dev, IIR) & 0x0f, IIR_THRE);
  assert.equal(host.level(), true);
  assert.equal(rd(dev, IIR) & 0x0f, IIR_MODEM, 'THRE cleared by the previous read');
  assert.equal(rd(dev, IIR) & 0x0f, IIR_MODEM, 'reading IIR does not clear modem status');
  assert.equal(rd(dev, MSR) & MSR_DCTS, MSR_DCTS);
  assert.equal(rd(dev, IIR), 0xc0 | IIR_NONE);
  assert.equal(host.level(), false);
});

test('the IRQ line reaches the PIC only with MCR OUT2', () => {
  const { dev, host } = setup();
  init(dev, { mcr: MCR_DTR | MCR_RTS, ier: IER_ETBEI });
  assert.equal(rd(dev, IIR) & 0x0f, IIR_THRE, 'the chip has an interrupt pending');
  wr(dev, IER, 0);
  wr(dev, IER, IER_ETBEI);
  assert.equal(host.lineLog.length, 0, 'but OUT2 = 0 keeps the ISA line low');
  wr(dev, MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
  assert.deepEqual(host.lines(), [{ atNs: 0, level: true }]);
  wr(dev, MCR, MCR_DTR | MCR_RTS);
  assert.equal(host.level(), false);
  assert.equal(rd(dev, IIR) & 0x0f, IIR_THRE, 'still pending inside the chip');
});

test('modem status: external lines set deltas (TERI only on RI trailing edge); deltas clear on read', () => {
  const { dev } = setup();
  init(dev, { ier: IER_EDSSI });
  assert.equal(rd(dev, MSR), MSR_CTS | MSR_DSR | MSR_DCD, 'a ready peer by default');
  dev.act('ri', { value: true });
  assert.equal(rd(dev, MSR), MSR_CTS | MSR_DSR | MSR_DCD | MSR_RI, 'RI rising sets no TERI');
  assert.equal(rd(dev, IIR) & 0x0f, IIR_NONE);
  dev.act('ri', { value: false });
  dev.act('dcd', { value: false });
  assert.equal(rd(dev, IIR) & 0x0f, IIR_MODEM);
  assert.equal(rd(dev, MSR), MSR_CTS | MSR_DSR | MSR_TERI | MSR_DDCD);
  assert.equal(rd(dev, MSR), MSR_CTS | MSR_DSR);
  assert.throws(() => dev.act('dsr', {}), /value: boolean/);
  assert.throws(() => dev.act('wiggle', {}), /receive, break, cts, dsr, ri, dcd/);
});

test('loopback: MSR follows MCR outputs with deltas, TX returns to RX, external lines ignored', () => {
  const { dev, host } = setup();
  init(dev, { mcr: MCR_LOOP, ier: 0 });
  rd(dev, MSR);
  assert.equal(rd(dev, MSR), 0, 'all MCR outputs off: all inputs off');
  wr(dev, MCR, MCR_LOOP | MCR_RTS);
  assert.equal(rd(dev, MSR), MSR_CTS | MSR_DCTS);
  wr(dev, MCR, MCR_LOOP | MCR_RTS | MCR_DTR | MCR_OUT1 | MCR_OUT2);
  assert.equal(rd(dev, MSR), MSR_CTS | MSR_DSR | MSR_RI | MSR_DCD | MSR_DDSR | MSR_DDCD);
  wr(dev, MCR, MCR_LOOP | MCR_RTS | MCR_DTR | MCR_OUT2);
  assert.equal(rd(dev, MSR), MSR_CTS | MSR_DSR | MSR_DCD | MSR_TERI, 'OUT1 off = RI trailing edge');
  dev.act('cts', { value: false });
  assert.equal(rd(dev, MSR) & (MSR_CTS | MSR_DCTS), MSR_CTS, 'external CTS is disconnected');
  wr(dev, RBR, 0x5a);
  dev.act('receive', { bytes: [0x11] });
  host.advance(CHAR_115200);
  assert.deepEqual(host.sent('tx'), [], 'SOUT is held marking in loopback');
  assert.equal(rd(dev, RBR), 0x5a, 'the transmitted byte came back');
  assert.equal(rd(dev, LSR) & LSR_DR, 0, 'the external byte was lost');
  assert.equal(host.lineLog.length, 0, 'OUT2 pin forced inactive: no IRQ on a PC in loopback');
});

test('FCR resets clear the FIFOs; toggling FCR0 clears both', () => {
  const { dev, host } = setup();
  init(dev, { ier: 0 });
  dev.act('receive', { bytes: [1, 2, 3] });
  host.advance(3 * CHAR_115200);
  wr(dev, IIR, FCR_ENABLE | FCR_RX_RESET);
  assert.equal(rd(dev, LSR) & LSR_DR, 0);
  dev.act('receive', { bytes: [4] });
  host.advance(CHAR_115200);
  wr(dev, IIR, 0);
  assert.equal(rd(dev, LSR) & LSR_DR, 0);
  assert.equal(rd(dev, IIR), IIR_NONE);
});

test('registers() names every register without read side effects; snapshot/restore is plain data', () => {
  const { dev, host } = setup();
  init(dev);
  dev.act('receive', { bytes: [9] });
  dev.act('cts', { value: false });
  host.advance(CHAR_115200);
  const before = dev.registers();
  assert.deepEqual(
    before.map((r) => r.name),
    ['RBR', 'IER', 'IIR', 'FCR', 'LCR', 'MCR', 'LSR', 'MSR', 'SCR', 'DLL', 'DLM'],
  );
  assert.deepEqual(dev.registers(), before, 'no side effects');
  const snap = dev.snapshot();
  const copy = JSON.parse(JSON.stringify(snap)) as unknown;
  assert.equal(rd(dev, RBR), 9);
  rd(dev, MSR);
  dev.restore(copy);
  assert.deepEqual(dev.registers(), before);
  assert.equal(rd(dev, RBR), 9);
  assert.equal(rd(dev, MSR) & MSR_DCTS, MSR_DCTS);
});

test('stimulate receives one byte after a character time', () => {
  const { dev, host } = setup();
  init(dev, { ier: 0 });
  dev.stimulate(0x7e);
  assert.equal(rd(dev, LSR) & LSR_DR, 0);
  host.advance(CHAR_115200);
  assert.equal(rd(dev, RBR), 0x7e);
  assert.throws(() => dev.act('receive', { bytes: 'é€' }), /not a byte/);
  assert.throws(() => dev.act('receive', { bytes: [256] }), /0\.\.255/);
});

test('accessName: offset 0 is RBR read, THR written, DLL with DLAB; offset 1 IER or DLM; offset 2 IIR read, FCR written', () => {
  const { dev } = setup();
  const names = (): Array<string | undefined> => [dev.accessName(0, 0, false), dev.accessName(0, 0, true), dev.accessName(0, 1, false), dev.accessName(0, 2, false), dev.accessName(0, 2, true), dev.accessName(0, 5, false)];
  assert.deepEqual(names(), ['RBR', 'THR', 'IER', 'IIR', 'FCR', undefined]);
  wr(dev, LCR, LCR_DLAB);
  assert.deepEqual(names(), ['DLL', 'DLL', 'DLM', 'IIR', 'FCR', undefined]);
});
