// Executive pool (ExAllocatePool2 / ExAllocatePoolWithTag / ExFreePool[WithTag]) in the manner
// of Driver Verifier's special pool: every allocation gets its own pages with a guard page after
// them and sits at the end of its last page, so an overrun faults at once and a use after free
// faults (the pages are unmapped). Paged pool is pageable memory (faults at ≥ DISPATCH under
// Force IRQL checking). Allocations are tracked by tag for leak reports at unload.

import { toUnsigned } from '../../vm/memory';
import { PAGE_SIZE, type Region } from '../../vm/memory';
import type { PoolKind } from '../ddi';
import type { Kernel } from '../kernel';

export interface PoolBlock {
  address: number;
  size: number;
  tag: number;
  kind: PoolKind;
  region: Region;
  /** Allocated by the driver (leak-tracked) or by the kernel for its own objects. */
  driver: boolean;
  atNs: number;
}

export function tagText(tag: number): string {
  let s = '';
  for (let i = 0; i < 4; i++) {
    const c = (tag >>> (i * 8)) & 0xff;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return s;
}

export class Pool {
  readonly blocks = new Map<number, PoolBlock>();
  private readonly freed = new Set<number>();
  /** Recently freed regions (newest last): a fault there is a use after free (0xD5). */
  private readonly freedRegions: { start: number; end: number }[] = [];
  allocations = 0;
  frees = 0;

  constructor(private readonly k: Kernel) {}

  allocate(kind: PoolKind, size: number, tag: number, driver = true): number {
    const n = Math.max(1, size);
    const rounded = Math.ceil(n / 16) * 16;
    const region = this.k.mem.map(`${kind} pool '${tagText(tag)}'`, 'pool', rounded);
    if (!region) return 0;
    // Small blocks end at the page end (special pool); a block ≥ PAGE_SIZE is page-aligned.
    const address = rounded >= PAGE_SIZE ? region.start : region.start + region.size - rounded;
    if (kind === 'paged') this.k.mem.setPageable(region, true);
    this.blocks.set(address, { address, size: n, tag, kind, region, driver, atNs: this.k.cur?.clock ?? 0 });
    this.freed.delete(address);
    if (driver) this.allocations++;
    return address;
  }

  /** The block containing `address`, if any (for pageable-ness and !pool). */
  blockAt(address: number): PoolBlock | undefined {
    const b = this.blocks.get(address);
    if (b) return b;
    for (const x of this.blocks.values()) if (address >= x.region.start && address < x.region.start + x.region.size) return x;
    return undefined;
  }

  free(address: number, tag: number | undefined): void {
    const k = this.k;
    const b = this.blocks.get(address);
    if (!b) {
      // BAD_POOL_CALLER (0xC2): 7 = already freed; 0x46 = not a pool address at all.
      const again = this.freed.has(address);
      // 0xC2 / 7: P3 = pool header contents, P4 = the block's address (bug-check 0xC2 page).
      k.bugCheck(0xc2, again ? 7n : 0x46n, 0n, 0n, toUnsigned(address), again ? 'pool freed twice' : 'ExFreePool of an address that is not a pool allocation');
      return;
    }
    if (tag !== undefined && tag !== b.tag && (tag & 0x7fffffff) !== (b.tag & 0x7fffffff)) {
      // Freeing with a tag other than the allocation's: BAD_POOL_CALLER 0x0A (with Verifier).
      k.bugCheck(0xc2, 0x0an, toUnsigned(address), BigInt(b.tag >>> 0), BigInt(tag >>> 0), `ExFreePoolWithTag tag '${tagText(tag)}' does not match the allocation's tag '${tagText(b.tag)}'`);
    }
    this.blocks.delete(address);
    this.freed.add(address);
    this.freedRegions.push({ start: b.region.start, end: b.region.start + b.region.size });
    if (this.freedRegions.length > 1024) this.freedRegions.shift();
    k.mem.unmap(b.region);
    if (b.driver) this.frees++;
  }

  /** True if `address` is in a pool block freed recently (and not reused since). */
  wasFreed(address: number): boolean {
    for (let i = this.freedRegions.length - 1; i >= 0; i--) {
      const r = this.freedRegions[i];
      if (address >= r.start && address < r.end) return this.blockAt(address) === undefined;
    }
    return false;
  }

  /** Driver allocations still outstanding (reported at unload). */
  leaks(): PoolBlock[] {
    return [...this.blocks.values()].filter((b) => b.driver);
  }
}
