// KDEVICE_QUEUE (Ke*DeviceQueue): the busy flag and the list of KDEVICE_QUEUE_ENTRYs behind
// IoStartPacket / IoStartNextPacket, kept in simulated memory with the header's layout.

import type { Kernel } from '../kernel';

export class DeviceQueues {
  private readonly head: number;
  private readonly busy: number;
  private readonly link: number;
  private readonly key: number;
  private readonly inserted: number;

  constructor(private readonly k: Kernel) {
    const L = k.layouts;
    this.head = L.offsetOf('KDEVICE_QUEUE', 'DeviceListHead');
    this.busy = L.offsetOf('KDEVICE_QUEUE', 'Busy');
    this.link = L.offsetOf('KDEVICE_QUEUE_ENTRY', 'DeviceListEntry');
    this.key = L.offsetOf('KDEVICE_QUEUE_ENTRY', 'SortKey');
    this.inserted = L.offsetOf('KDEVICE_QUEUE_ENTRY', 'Inserted');
  }

  initialize(q: number): void {
    const m = this.k.mem;
    m.writeU16(q, 0x14); // DeviceQueueObject
    m.writeU16(q + 2, this.k.layouts.sizeOf('KDEVICE_QUEUE'));
    m.writePtr(q + this.head, q + this.head);
    m.writePtr(q + this.head + 8, q + this.head);
    m.writeU64(q + this.busy, 0n);
  }

  /** FALSE when the queue was idle (now busy, the caller proceeds); TRUE when queued. */
  insert(q: number, entry: number, key: number | undefined): boolean {
    const m = this.k.mem;
    if ((m.readU8(q + this.busy) & 1) === 0) {
      m.writeU8(q + this.busy, 1);
      m.writeU8(entry + this.inserted, 0);
      return false;
    }
    const head = q + this.head;
    let before = head; // insert before this link (tail by default)
    if (key !== undefined) {
      m.writeU32(entry + this.key, key >>> 0);
      // Ascending SortKey order, FIFO among equal keys.
      for (let e = m.readPtr(head); e !== head; e = m.readPtr(e)) {
        if (m.readU32(e - this.link + this.key) > key >>> 0) {
          before = e;
          break;
        }
      }
    }
    const link = entry + this.link;
    const prev = m.readPtr(before + 8);
    m.writePtr(link, before);
    m.writePtr(link + 8, prev);
    m.writePtr(prev, link);
    m.writePtr(before + 8, link);
    m.writeU8(entry + this.inserted, 1);
    return true;
  }

  /** The first entry (or the first with SortKey ≥ key), or 0 with the queue made idle. */
  remove(q: number, key: number | undefined): number {
    const m = this.k.mem;
    const head = q + this.head;
    let e = m.readPtr(head);
    if (e === head) {
      m.writeU8(q + this.busy, 0);
      return 0;
    }
    if (key !== undefined) {
      let found = 0;
      for (let x = e; x !== head; x = m.readPtr(x)) {
        if (m.readU32(x - this.link + this.key) >= key >>> 0) {
          found = x;
          break;
        }
      }
      e = found || e; // none ≥ key: the first entry (WDK semantics)
    }
    this.unlink(e);
    const entry = e - this.link;
    m.writeU8(entry + this.inserted, 0);
    return entry;
  }

  removeEntry(q: number, entry: number): boolean {
    const m = this.k.mem;
    if (!m.readU8(entry + this.inserted)) return false;
    void q;
    this.unlink(entry + this.link);
    m.writeU8(entry + this.inserted, 0);
    return true;
  }

  private unlink(link: number): void {
    const m = this.k.mem;
    const next = m.readPtr(link);
    const prev = m.readPtr(link + 8);
    m.writePtr(prev, next);
    m.writePtr(next + 8, prev);
  }
}
