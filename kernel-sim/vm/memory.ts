// The simulated address space: flat, byte-addressed, little-endian, every access checked.
//
// Pointers in generated code are JS numbers. Real (simulated) addresses are x64 kernel
// addresses (0xFFFFF800_00000000...); to keep pointer values small integers (V8 SMIs: no heap
// allocation when they are stored in frames and argument arrays), the engine works with an
// *internal* value that maps the 1 GiB kernel window onto [-2^30, 0):
//
//   real 0xFFFFF800_00000000 + x  <->  internal x - 2^30        (0 <= x < 2^30, the arena)
//   real r, 0 <= r < 2^47         <->  internal r               (NULL and user addresses)
//   real r, other canonical       <->  internal r - 2^48        (negative, outside the arena)
//   non-canonical                 <->  NaN (faults on any access, like #GP)
//
// Pointer arithmetic and comparisons inside the window are plain number operations; casts
// between pointers and integers (toUnsigned/fromUnsigned) and pointers stored in memory use
// the real 64-bit value, so a driver sees Windows-looking addresses everywhere.
// Anything outside the arena — NULL's page included — is unmapped. A bad access throws
// MemoryFault, which the engine catches at its run loop and turns into the bug check the
// kernel raises: it never reaches the user as a JavaScript exception.

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

/** Internal value of the arena's first byte (real 0xFFFFF800_00000000). */
export const ARENA_BASE = -(2 ** 30);
/** Largest arena: the whole window. */
export const MAX_ARENA = 2 ** 30;
/** Real address of the arena start, as a signed 64-bit value. */
const WINDOW_REAL = -(2n ** 43n);
const TWO48 = 2 ** 48;

export const enum PageKind {
  Unmapped = 0,
  ReadWrite = 1,
  ReadOnly = 2,
  Mmio = 3,
  /** Pageable memory that is not resident (trimmed): any access page-faults. */
  PagedOut = 4,
  /** Memory a debugger watches (data breakpoints): accesses take the slow path, which reports them. */
  Watched = 5,
}

export type RegionKind = 'image' | 'stack' | 'pool' | 'mmio' | 'heap' | 'other';

export interface Region {
  readonly name: string;
  readonly kind: RegionKind;
  /** First byte (signed canonical address) and size in bytes (a multiple of PAGE_SIZE). */
  readonly start: number;
  readonly size: number;
}

/** A device register window: called for every access inside it (offset from its start). */
export interface MmioHandler {
  read(offset: number, size: 1 | 2 | 4 | 8): bigint;
  write(offset: number, size: 1 | 2 | 4 | 8, value: bigint): void;
}

export type FaultKind = 'null' | 'unmapped' | 'guard' | 'read-only' | 'non-canonical' | 'paged-out';

/** A faulting access. `address` is the unsigned 64-bit address, as Windows reports it. */
export class MemoryFault {
  constructor(
    readonly kind: FaultKind,
    readonly address: bigint,
    readonly size: number,
    readonly write: boolean,
    /** The region the address fell near (a stack's guard page names the stack). */
    readonly near: Region | undefined,
  ) {}

  get message(): string {
    const what = this.write ? 'write' : 'read';
    const hex = this.address.toString(16).padStart(16, '0');
    const where = this.near ? ` (${this.kind === 'guard' ? 'guard page of' : 'near'} ${this.near.name})` : '';
    return `${what} of ${this.size} byte${this.size === 1 ? '' : 's'} at ${hex}: ${this.kind}${where}`;
  }
}

/** The real unsigned 64-bit address of an internal pointer value (for ULONG_PTR, %p, reports). */
export function toUnsigned(addr: number): bigint {
  if (Number.isNaN(addr)) return 0x8000_0000_0000_0000n;
  if (addr >= ARENA_BASE && addr < 0) return BigInt.asUintN(64, WINDOW_REAL + BigInt(addr - ARENA_BASE));
  if (addr >= 0) return BigInt(addr);
  return BigInt.asUintN(64, BigInt(addr + TWO48));
}

/** The internal pointer value of a real 64-bit address (a cast to a pointer type). */
export function fromUnsigned(v: bigint): number {
  const s = BigInt.asIntN(64, v);
  if (s >= WINDOW_REAL && s < WINDOW_REAL + BigInt(MAX_ARENA)) return Number(s - WINDOW_REAL) + ARENA_BASE;
  if (s >= 0n && s < 1n << 47n) return Number(s);
  if (s < 0n && s >= -(1n << 47n)) return Number(s) - TWO48;
  return NaN;
}

/** Internal pointer value of a signed integer converted to a pointer ((PVOID)-1 etc.). */
export function pointerFromInt(v: number): number {
  return v >= 0 ? v : fromUnsigned(BigInt(v));
}

export interface MemorySnapshot {
  readonly bytes: Uint8Array;
  readonly pages: Uint8Array;
  readonly regions: readonly Region[];
  readonly mmio: readonly (readonly [number, MmioHandler])[];
  readonly next: number;
  readonly freed: readonly FreeRange[];
}

/** An unmapped range (pages + its guard page), waiting in quarantine before reuse. */
interface FreeRange {
  offset: number;
  bytes: number;
}

/**
 * Freed address ranges are reused only after this many later frees, so a stale pointer to a
 * freed block (use after free) keeps faulting for a while, as with Verifier's special pool.
 */
const QUARANTINE = 256;

export interface MemoryOptions {
  /** Arena size in bytes (rounded up to pages). Default 64 MiB. */
  size?: number;
}

export class Memory {
  readonly size: number;
  readonly buffer: ArrayBuffer;
  /** Views over the arena for generated code's fast paths (offset = address - ARENA_BASE). */
  readonly u8: Uint8Array;
  readonly view: DataView;
  /** One PageKind per page. */
  readonly pages: Uint8Array;
  private regions: Region[] = [];
  private readonly mmio = new Map<number, MmioHandler>();
  /** Next free offset for map(): regions are laid out upwards with guard pages between them. */
  private next = PAGE_SIZE; // the arena's first page stays a guard
  /** End of the highest range ever mapped (everything above is untouched zeros). */
  private highWater = 0;
  /** Unmapped ranges, oldest first (see QUARANTINE). */
  private freed: FreeRange[] = [];

  constructor(opts: MemoryOptions = {}) {
    this.size = Math.min(MAX_ARENA, Math.ceil((opts.size ?? 64 << 20) / PAGE_SIZE) * PAGE_SIZE);
    this.buffer = new ArrayBuffer(this.size);
    this.u8 = new Uint8Array(this.buffer);
    this.view = new DataView(this.buffer);
    this.pages = new Uint8Array(this.size >>> PAGE_SHIFT);
  }

  /**
   * Maps `size` bytes (rounded up to pages) with a guard page after it; returns the region,
   * or undefined when the arena is full (the caller reports that: pool exhausted, ...).
   */
  map(name: string, kind: RegionKind, size: number, readOnly = false): Region | undefined {
    const bytes = Math.max(PAGE_SIZE, Math.ceil(size / PAGE_SIZE) * PAGE_SIZE);
    const offset = this.place(bytes + PAGE_SIZE);
    if (offset === undefined) return undefined;
    const r: Region = { name, kind, start: ARENA_BASE + offset, size: bytes };
    this.pages.fill(readOnly ? PageKind.ReadOnly : PageKind.ReadWrite, offset >>> PAGE_SHIFT, (offset + bytes) >>> PAGE_SHIFT);
    // Memory above the high-water mark was never handed out: it is still zero.
    if (offset < this.highWater) this.u8.fill(0, offset, Math.min(offset + bytes, this.highWater));
    this.highWater = Math.max(this.highWater, offset + bytes);
    this.regions.push(r);
    return r;
  }

  /**
   * Where a range of `total` bytes (pages + guard) goes: a freed range out of quarantine that
   * fits (first fit, oldest first), else fresh space above, else any freed range that fits.
   */
  private place(total: number): number | undefined {
    const take = (limit: number): number | undefined => {
      for (let i = 0; i < limit; i++) {
        const f = this.freed[i];
        if (f.bytes < total) continue;
        if (f.bytes === total) this.freed.splice(i, 1);
        else this.freed[i] = { offset: f.offset + total, bytes: f.bytes - total };
        return f.offset;
      }
      return undefined;
    };
    const reused = take(this.freed.length - QUARANTINE);
    if (reused !== undefined) return reused;
    if (this.next + total <= this.size) {
      const offset = this.next;
      this.next += total;
      return offset;
    }
    return take(this.freed.length);
  }

  /** Maps a device register window; accesses inside it go to `handler`. */
  mapMmio(name: string, size: number, handler: MmioHandler): Region | undefined {
    const r = this.map(name, 'mmio', size);
    if (!r) return undefined;
    const first = (r.start - ARENA_BASE) >>> PAGE_SHIFT;
    this.pages.fill(PageKind.Mmio, first, first + r.size / PAGE_SIZE);
    this.mmio.set(r.start, handler);
    return r;
  }

  /** Unmaps a region: later accesses fault (use-after-free of a stack or pool block). */
  unmap(r: Region): void {
    const first = (r.start - ARENA_BASE) >>> PAGE_SHIFT;
    this.pages.fill(PageKind.Unmapped, first, first + r.size / PAGE_SIZE);
    const i = this.regions.indexOf(r);
    if (i < 0) return; // already unmapped
    this.regions.splice(i, 1);
    this.mmio.delete(r.start);
    this.freed.push({ offset: r.start - ARENA_BASE, bytes: r.size + PAGE_SIZE });
  }

  /** Marks a mapped region read-only or writable (e.g. the image's .rdata after loading). */
  protect(r: Region, readOnly: boolean): void {
    const first = (r.start - ARENA_BASE) >>> PAGE_SHIFT;
    this.pages.fill(readOnly ? PageKind.ReadOnly : PageKind.ReadWrite, first, first + r.size / PAGE_SIZE);
  }

  /**
   * Marks a region pageable: its pages behave as read-write while `pagedFaults` is false and
   * fault with kind 'paged-out' while it is true. The kernel sets `pagedFaults` whenever the
   * running processor's IRQL crosses DISPATCH_LEVEL: Verifier's "Force IRQL checking", where
   * pageable memory is never resident for code at raised IRQL (KERNEL_MODEL §5.2).
   */
  setPageable(r: Region, pageable: boolean): void {
    const first = (r.start - ARENA_BASE) >>> PAGE_SHIFT;
    this.pages.fill(pageable ? PageKind.PagedOut : PageKind.ReadWrite, first, first + r.size / PAGE_SIZE);
  }

  /** See setPageable. */
  pagedFaults = false;

  regionOf(addr: number): Region | undefined {
    for (const r of this.regions) if (addr >= r.start && addr < r.start + r.size) return r;
    return undefined;
  }

  get mappedRegions(): readonly Region[] {
    return this.regions;
  }

  /**
   * Checks an access of `size` bytes at `addr`; returns the arena offset for a plain page, or
   * -1 for an MMIO page (the caller dispatches to the device). Throws MemoryFault otherwise.
   */
  check(addr: number, size: number, write: boolean): number {
    const o = addr - ARENA_BASE;
    if (o >= 0 && o + size <= this.size) {
      let k1 = this.pages[o >>> PAGE_SHIFT];
      let k2 = this.pages[(o + size - 1) >>> PAGE_SHIFT];
      if (k1 === PageKind.Watched || k2 === PageKind.Watched) {
        k1 = this.kindOf(o >>> PAGE_SHIFT);
        k2 = this.kindOf((o + size - 1) >>> PAGE_SHIFT);
        if (this.allowed(k1, write) && this.allowed(k2, write)) {
          this.onWatchedAccess?.(addr, size, write);
          return o;
        }
      }
      if (k1 === PageKind.ReadWrite && k2 === PageKind.ReadWrite) return o;
      const writable = (k: number): boolean => k === PageKind.ReadWrite || (k === PageKind.PagedOut && !this.pagedFaults);
      if (writable(k1) && writable(k2)) return o;
      const readable = (k: number): boolean => writable(k) || k === PageKind.ReadOnly;
      if (!write && readable(k1) && readable(k2)) return o;
      if (k1 === PageKind.Mmio && k2 === PageKind.Mmio) return -1;
    }
    throw this.fault(addr, size, write);
  }

  private fault(addr: number, size: number, write: boolean): MemoryFault {
    if (Number.isNaN(addr)) return new MemoryFault('non-canonical', 0n, size, write, undefined);
    if (addr >= 0 && addr < 0x10000) return new MemoryFault('null', toUnsigned(addr), size, write, undefined);
    const o = addr - ARENA_BASE;
    if (o >= 0 && o < this.size) {
      // Like CR2 on a page fault: the first byte of the access that is not accessible.
      let bad = addr;
      while (bad < addr + size - 1 && this.accessible(bad, write)) bad++;
      const kind = this.kindOf((bad - ARENA_BASE) >>> PAGE_SHIFT);
      if (kind === PageKind.ReadOnly && write) return new MemoryFault('read-only', toUnsigned(bad), size, write, this.regionOf(bad));
      if (kind === PageKind.PagedOut) return new MemoryFault('paged-out', toUnsigned(bad), size, write, this.regionOf(bad));
      // A guard page between two regions: below a stack it is that stack's overflow (stacks
      // grow down); otherwise it is an overrun of the region before it.
      const above = this.regionOf(bad + PAGE_SIZE);
      const below = this.regionOf(bad - PAGE_SIZE) ?? this.regionOf(bad - 1);
      const owner = above?.kind === 'stack' ? above : (below ?? above);
      if (owner) return new MemoryFault('guard', toUnsigned(bad), size, write, owner);
    }
    return new MemoryFault('unmapped', toUnsigned(addr), size, write, undefined);
  }

  private accessible(a: number, write: boolean): boolean {
    const o = a - ARENA_BASE;
    if (o < 0 || o >= this.size) return false;
    return this.allowed(this.kindOf(o >>> PAGE_SHIFT), write);
  }

  private allowed(k: number, write: boolean): boolean {
    return k === PageKind.ReadWrite || (k === PageKind.PagedOut && !this.pagedFaults) || (!write && k === PageKind.ReadOnly);
  }

  /** A page's kind as the program sees it (a watched page behaves as what it was). */
  private kindOf(page: number): number {
    const k = this.pages[page];
    return k === PageKind.Watched ? (this.watched.get(page) ?? PageKind.ReadWrite) : k;
  }

  /** Watched pages → their own kind. */
  private readonly watched = new Map<number, number>();
  /** Called for every access to a watched page (the host checks the exact range). */
  onWatchedAccess: ((addr: number, size: number, write: boolean) => void) | undefined;

  /**
   * Watches the pages holding `ranges` (data breakpoints): their accesses are reported to
   * onWatchedAccess and otherwise behave as before. Replaces the previous watches.
   */
  setWatches(ranges: ReadonlyArray<{ address: number; size: number }>): void {
    for (const [page, kind] of this.watched) if (this.pages[page] === PageKind.Watched) this.pages[page] = kind;
    this.watched.clear();
    for (const r of ranges) {
      const o = r.address - ARENA_BASE;
      if (o < 0 || o + r.size > this.size) continue;
      for (let page = o >>> PAGE_SHIFT; page <= (o + Math.max(1, r.size) - 1) >>> PAGE_SHIFT; page++) {
        const k = this.pages[page];
        if (k !== PageKind.ReadWrite && k !== PageKind.PagedOut) continue;
        this.watched.set(page, k);
        this.pages[page] = PageKind.Watched;
      }
    }
  }

  private device(addr: number): { handler: MmioHandler; offset: number } {
    for (const [start, handler] of this.mmio) {
      const r = this.regionOf(start);
      if (r && addr >= start && addr < start + r.size) return { handler, offset: addr - start };
    }
    throw this.fault(addr, 1, false);
  }

  // ---- typed accessors (little-endian) ----
  // Each starts with an inline fast path (a read-write page, the access within one page);
  // anything else goes through check(), which handles read-only, MMIO and faults.

  readU8(a: number): number {
    const o = a - ARENA_BASE;
    if (o >>> 0 === o && this.pages[o >>> PAGE_SHIFT] === PageKind.ReadWrite) return this.u8[o];
    const c = this.check(a, 1, false);
    return c >= 0 ? this.u8[c] : Number(this.mmioRead(a, 1));
  }
  readI8(a: number): number {
    return (this.readU8(a) << 24) >> 24;
  }
  readU16(a: number): number {
    const o = a - ARENA_BASE;
    if (o >>> 0 === o && this.pages[o >>> PAGE_SHIFT] === PageKind.ReadWrite && (o & 4095) <= 4094) return this.view.getUint16(o, true);
    const c = this.check(a, 2, false);
    return c >= 0 ? this.view.getUint16(c, true) : Number(this.mmioRead(a, 2));
  }
  readI16(a: number): number {
    return (this.readU16(a) << 16) >> 16;
  }
  readI32(a: number): number {
    const o = a - ARENA_BASE;
    if (o >>> 0 === o && this.pages[o >>> PAGE_SHIFT] === PageKind.ReadWrite && (o & 4095) <= 4092) return this.view.getInt32(o, true);
    const c = this.check(a, 4, false);
    return c >= 0 ? this.view.getInt32(c, true) : Number(BigInt.asIntN(32, this.mmioRead(a, 4)));
  }
  readU32(a: number): number {
    return this.readI32(a) >>> 0;
  }
  readI64(a: number): bigint {
    const o = this.check(a, 8, false);
    return o >= 0 ? this.view.getBigInt64(o, true) : BigInt.asIntN(64, this.mmioRead(a, 8));
  }
  readU64(a: number): bigint {
    return BigInt.asUintN(64, this.readI64(a));
  }
  readF32(a: number): number {
    const o = this.check(a, 4, false);
    if (o >= 0) return this.view.getFloat32(o, true);
    const t = new DataView(new ArrayBuffer(4));
    t.setUint32(0, Number(this.mmioRead(a, 4)), true);
    return t.getFloat32(0, true);
  }
  readF64(a: number): number {
    const o = a - ARENA_BASE;
    if (o >>> 0 === o && this.pages[o >>> PAGE_SHIFT] === PageKind.ReadWrite && (o & 4095) <= 4088) return this.view.getFloat64(o, true);
    const c = this.check(a, 8, false);
    if (c >= 0) return this.view.getFloat64(c, true);
    const t = new DataView(new ArrayBuffer(8));
    t.setBigUint64(0, this.mmioRead(a, 8), true);
    return t.getFloat64(0, true);
  }
  /** A pointer stored in memory (8 bytes) as a signed canonical number (NaN if non-canonical). */
  readPtr(a: number): number {
    const o = a - ARENA_BASE;
    if (o >>> 0 === o && this.pages[o >>> PAGE_SHIFT] === PageKind.ReadWrite && (o & 4095) <= 4088) {
      const lo = this.view.getUint32(o, true);
      const hi = this.view.getInt32(o + 4, true);
      // A pointer into the arena (high word 0xFFFFF800) or NULL/a small value: no bigint.
      if (hi === -2048 && lo < MAX_ARENA) return lo + ARENA_BASE;
      if (hi === 0 && lo < MAX_ARENA) return lo;
      return fromUnsigned(this.view.getBigUint64(o, true));
    }
    return fromUnsigned(this.readU64(a));
  }

  writeU8(a: number, v: number): void {
    const o = a - ARENA_BASE;
    if (o >>> 0 === o && this.pages[o >>> PAGE_SHIFT] === PageKind.ReadWrite) {
      this.u8[o] = v;
      return;
    }
    const c = this.check(a, 1, true);
    if (c >= 0) this.u8[c] = v;
    else this.mmioWrite(a, 1, BigInt(v & 0xff));
  }
  writeU16(a: number, v: number): void {
    const o = a - ARENA_BASE;
    if (o >>> 0 === o && this.pages[o >>> PAGE_SHIFT] === PageKind.ReadWrite && (o & 4095) <= 4094) {
      this.view.setUint16(o, v, true);
      return;
    }
    const c = this.check(a, 2, true);
    if (c >= 0) this.view.setUint16(c, v, true);
    else this.mmioWrite(a, 2, BigInt(v & 0xffff));
  }
  writeU32(a: number, v: number): void {
    const o = a - ARENA_BASE;
    if (o >>> 0 === o && this.pages[o >>> PAGE_SHIFT] === PageKind.ReadWrite && (o & 4095) <= 4092) {
      this.view.setUint32(o, v >>> 0, true);
      return;
    }
    const c = this.check(a, 4, true);
    if (c >= 0) this.view.setUint32(c, v >>> 0, true);
    else this.mmioWrite(a, 4, BigInt(v >>> 0));
  }
  writeU64(a: number, v: bigint): void {
    const o = this.check(a, 8, true);
    if (o >= 0) this.view.setBigUint64(o, BigInt.asUintN(64, v), true);
    else this.mmioWrite(a, 8, BigInt.asUintN(64, v));
  }
  writeF32(a: number, v: number): void {
    const o = this.check(a, 4, true);
    if (o >= 0) {
      this.view.setFloat32(o, v, true);
      return;
    }
    const t = new DataView(new ArrayBuffer(4));
    t.setFloat32(0, v, true);
    this.mmioWrite(a, 4, BigInt(t.getUint32(0, true)));
  }
  writeF64(a: number, v: number): void {
    const f = a - ARENA_BASE;
    if (f >>> 0 === f && this.pages[f >>> PAGE_SHIFT] === PageKind.ReadWrite && (f & 4095) <= 4088) {
      this.view.setFloat64(f, v, true);
      return;
    }
    const o = this.check(a, 8, true);
    if (o >= 0) {
      this.view.setFloat64(o, v, true);
      return;
    }
    const t = new DataView(new ArrayBuffer(8));
    t.setFloat64(0, v, true);
    this.mmioWrite(a, 8, t.getBigUint64(0, true));
  }
  writePtr(a: number, p: number): void {
    const o = a - ARENA_BASE;
    if (o >>> 0 === o && this.pages[o >>> PAGE_SHIFT] === PageKind.ReadWrite && (o & 4095) <= 4088) {
      // The common cases without a bigint: a pointer into the arena, NULL or a small value.
      if (p >= ARENA_BASE && p < 0 && p === Math.trunc(p)) {
        this.view.setUint32(o, p - ARENA_BASE, true);
        this.view.setInt32(o + 4, -2048, true);
        return;
      }
      if (p >= 0 && p < MAX_ARENA && p === Math.trunc(p)) {
        this.view.setUint32(o, p, true);
        this.view.setInt32(o + 4, 0, true);
        return;
      }
    }
    this.writeU64(a, toUnsigned(p));
  }

  // ---- block operations (memcpy/memmove/memset/memcmp; structure copies) ----

  /** Copies `n` bytes with memmove semantics; both ranges are checked first. */
  copy(dst: number, src: number, n: number): void {
    if (n <= 0) return;
    const s = this.check(src, n, false);
    const d = this.check(dst, n, true);
    if (s < 0 || d < 0) {
      // Device windows take byte accesses (READ/WRITE_REGISTER_BUFFER_UCHAR semantics).
      const tmp = new Uint8Array(n);
      for (let i = 0; i < n; i++) tmp[i] = this.readU8(src + i);
      for (let i = 0; i < n; i++) this.writeU8(dst + i, tmp[i]);
      return;
    }
    this.u8.copyWithin(d, s, s + n);
  }

  fill(dst: number, byte: number, n: number): void {
    if (n <= 0) return;
    const d = this.check(dst, n, true);
    if (d < 0) for (let i = 0; i < n; i++) this.writeU8(dst + i, byte);
    else this.u8.fill(byte & 0xff, d, d + n);
  }

  compare(a: number, b: number, n: number): number {
    for (let i = 0; i < n; i++) {
      const x = this.readU8(a + i);
      const y = this.readU8(b + i);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  }

  readBytes(a: number, n: number): Uint8Array {
    if (n <= 0) return new Uint8Array(0);
    const o = this.check(a, n, false);
    if (o >= 0) return this.u8.slice(o, o + n);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.readU8(a + i);
    return out;
  }

  writeBytes(a: number, bytes: ArrayLike<number>): void {
    const n = bytes.length;
    if (n === 0) return;
    const o = this.check(a, n, true);
    if (o >= 0) this.u8.set(bytes, o);
    else for (let i = 0; i < n; i++) this.writeU8(a + i, bytes[i]);
  }

  /**
   * The debugger's view: the bytes at `a`, or undefined unless every byte is ordinary memory.
   * Never touches a device (register reads have side effects) and never faults; pageable
   * memory that is trimmed reads as its contents (the debugger sees through paging).
   */
  peekBytes(a: number, n: number): Uint8Array | undefined {
    if (!this.debuggerCanAccess(a, n, false)) return undefined;
    const o = a - ARENA_BASE;
    return this.u8.slice(o, o + n);
  }

  /** The debugger's write (setVariable, the memory view): false where peekBytes could not read. */
  pokeBytes(a: number, bytes: ArrayLike<number>): boolean {
    if (!this.debuggerCanAccess(a, bytes.length, true)) return false;
    this.u8.set(bytes, a - ARENA_BASE);
    return true;
  }

  private debuggerCanAccess(a: number, n: number, write: boolean): boolean {
    const o = a - ARENA_BASE;
    if (!Number.isFinite(a) || n < 0 || o < 0 || o + n > this.size) return false;
    for (let page = o >>> PAGE_SHIFT; page <= (o + Math.max(n, 1) - 1) >>> PAGE_SHIFT; page++) {
      const k = this.kindOf(page);
      if (k !== PageKind.ReadWrite && k !== PageKind.PagedOut && !(k === PageKind.ReadOnly && !write)) return false;
    }
    return true;
  }

  /** The NUL-terminated byte string at `a` (at most `max` bytes; faults at the first bad page). */
  readCString(a: number, max = 1 << 20): Uint8Array {
    const out: number[] = [];
    for (let i = 0; i < max; i++) {
      const b = this.readU8(a + i);
      if (b === 0) break;
      out.push(b);
    }
    return Uint8Array.from(out);
  }

  // ---- snapshots ----

  /** The complete memory state (device windows' contents live in the device models). */
  snapshot(): MemorySnapshot {
    return { bytes: this.u8.slice(), pages: this.pages.slice(), regions: [...this.regions], mmio: [...this.mmio], next: this.next, freed: this.freed.map((f) => ({ ...f })) };
  }

  restore(s: MemorySnapshot): void {
    this.u8.set(s.bytes);
    this.pages.set(s.pages);
    this.regions = [...s.regions];
    this.next = s.next;
    this.freed = s.freed.map((f) => ({ ...f }));
    this.mmio.clear();
    for (const [start, h] of s.mmio) this.mmio.set(start, h);
  }

  private mmioRead(a: number, size: 1 | 2 | 4 | 8): bigint {
    const d = this.device(a);
    return d.handler.read(d.offset, size);
  }

  private mmioWrite(a: number, size: 1 | 2 | 4 | 8, v: bigint): void {
    const d = this.device(a);
    d.handler.write(d.offset, size, v);
  }
}
