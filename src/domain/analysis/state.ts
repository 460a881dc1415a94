import { hashBytes } from './transaction.js';

/**
 * Bounded per-customer state of the analysis engine (docs/analysis.md, "State"): a fixed-size
 * record per customer in a few typed arrays (struct of arrays), keyed by customer number through
 * an open-addressing hash table over the number's UTF-8 bytes. Every field is a fixed-size
 * aggregate — day buckets, small rings, counters — so a transaction costs O(1) whatever the
 * history, the whole state is a handful of flat arrays (a million customers ≈ 360 MB), and it
 * is saved and loaded as those arrays, without per-customer work beyond re-hashing the keys.
 */

/** Days per bucket and buckets kept: 6 × 15 days = the 90-day window of baselines. */
export const BUCKET_DAYS = 15;
export const BUCKETS = 6;
/** Recent outflows kept for burst detection. */
export const RING_SIZE = 8;
/** Recent payees (counterparty account hashes) kept. */
export const PAYEE_SLOTS = 8;
/** Accounts of the customer kept (to recognise transfers to their own accounts). */
export const OWN_SLOTS = 4;
/** Days of the latest payments to the current hospital kept (recurring payments are counted among them). */
export const HOSPITAL_SLOTS = 4;
/** A day number meaning "never". */
export const NEVER = -2_147_483_648;
/** One slot per illness-signal rule. */
export const ILLNESS_SLOTS = 6;

// Float64 fields (money in fen as exact integers, instants in ms): offsets within a record.
export const F = {
  debitSum: 0,
  medicalSum: BUCKETS,
  ringAmount: 2 * BUCKETS,
  ringAt: 2 * BUCKETS + RING_SIZE,
} as const;
const F_STRIDE = 2 * BUCKETS + 2 * RING_SIZE;

// Int32 fields (day numbers since the epoch, counts, 32-bit hashes).
export const I = {
  firstDay: 0,
  lastDay: 1,
  epoch: 2,
  debitCount: 3,
  hospitalHash: 3 + BUCKETS,
  payrollLastDay: 4 + BUCKETS,
  redemptionDay: 5 + BUCKETS,
  nightDebits: 6 + BUCKETS,
  totalDebits: 7 + BUCKETS,
  payees: 8 + BUCKETS,
  own: 8 + BUCKETS + PAYEE_SLOTS,
  hospitalDays: 8 + BUCKETS + PAYEE_SLOTS + OWN_SLOTS,
  /** The day each illness-signal rule last fired (ILLNESS_RULE_IDS order), so a later run can add it to the score. */
  illnessDays: 8 + BUCKETS + PAYEE_SLOTS + OWN_SLOTS + HOSPITAL_SLOTS,
} as const;
const I_STRIDE = 8 + BUCKETS + PAYEE_SLOTS + OWN_SLOTS + HOSPITAL_SLOTS + ILLNESS_SLOTS;

// Uint8 fields (small counters, ring cursors, the channel mask).
export const U = {
  hospitalNext: 0,
  payrollCount: 1,
  payrollReported: 2,
  payeeNext: 3,
  ownNext: 4,
  ringNext: 5,
  channels: 6,
} as const;
const U_STRIDE = 8;

export const STRIDES = { f: F_STRIDE, i: I_STRIDE, u: U_STRIDE } as const;

const MAGIC = 0x4c4c5354; // "LLST"
const FORMAT = 1;
/** Bytes of one exported record; the tag changes whenever the layout does. */
const RECORD_BYTES = 4 + F_STRIDE * 8 + I_STRIDE * 4 + U_STRIDE;
const RECORD_TAG = (0x4c52 << 16) | (F_STRIDE << 10) | (I_STRIDE << 4) | (BUCKETS & 0xf);

/** The customers' state: fixed-size records in typed arrays, found by customer number. */
export class AnalysisState {
  /** Customers held. */
  size = 0;
  f: Float64Array;
  i: Int32Array;
  u: Uint8Array;
  private capacity: number;
  private hashes: Int32Array;
  private keyStart: Uint32Array;
  private keyBytes: Uint8Array;
  private keyUsed = 0;
  private table: Int32Array;
  private mask: number;

  constructor(capacity = 1024) {
    this.capacity = Math.max(16, capacity);
    this.f = new Float64Array(this.capacity * F_STRIDE);
    this.i = new Int32Array(this.capacity * I_STRIDE);
    this.u = new Uint8Array(this.capacity * U_STRIDE);
    this.hashes = new Int32Array(this.capacity);
    this.keyStart = new Uint32Array(this.capacity + 1);
    this.keyBytes = new Uint8Array(this.capacity * 12);
    const tableSize = 2 ** Math.ceil(Math.log2(this.capacity * 2));
    this.table = new Int32Array(tableSize);
    this.mask = tableSize - 1;
  }

  /** The record of a customer (its index), or -1 if the customer is unknown. */
  find(buf: Uint8Array, start: number, end: number): number {
    const h = hashBytes(buf, start, end);
    let at = h & this.mask;
    for (;;) {
      const slot = (this.table[at] ?? 0) - 1;
      if (slot < 0) return -1;
      if (this.hashes[slot] === h && this.keyEquals(slot, buf, start, end)) return slot;
      at = (at + 1) & this.mask;
    }
  }

  /** The record of a customer, a fresh (zeroed, days NEVER) one for a customer seen the first time. */
  findOrAdd(buf: Uint8Array, start: number, end: number): number {
    const h = hashBytes(buf, start, end);
    let at = h & this.mask;
    for (;;) {
      const slot = (this.table[at] ?? 0) - 1;
      if (slot < 0) break;
      if (this.hashes[slot] === h && this.keyEquals(slot, buf, start, end)) return slot;
      at = (at + 1) & this.mask;
    }
    if (this.size === this.capacity) {
      this.grow(this.capacity * 2);
      return this.findOrAdd(buf, start, end);
    }
    const slot = this.size++;
    const len = end - start;
    if (this.keyUsed + len > this.keyBytes.length) {
      const bigger = new Uint8Array(Math.max(this.keyBytes.length * 2, this.keyUsed + len));
      bigger.set(this.keyBytes.subarray(0, this.keyUsed));
      this.keyBytes = bigger;
    }
    this.keyBytes.set(buf.subarray(start, end), this.keyUsed);
    this.keyUsed += len;
    this.keyStart[slot + 1] = this.keyUsed;
    this.hashes[slot] = h;
    this.table[at] = slot + 1;
    const base = slot * I_STRIDE;
    for (const field of [I.firstDay, I.lastDay, I.epoch, I.payrollLastDay, I.redemptionDay]) this.i[base + field] = NEVER;
    for (let k = 0; k < HOSPITAL_SLOTS; k++) this.i[base + I.hospitalDays + k] = NEVER;
    for (let k = 0; k < ILLNESS_SLOTS; k++) this.i[base + I.illnessDays + k] = NEVER;
    return slot;
  }

  /** The customer number of a record. */
  key(slot: number): string {
    return Buffer.from(this.keyBytes.buffer, this.keyBytes.byteOffset + (this.keyStart[slot] ?? 0), this.keyLength(slot)).toString('utf8');
  }

  private keyLength(slot: number): number {
    return (this.keyStart[slot + 1] ?? 0) - (this.keyStart[slot] ?? 0);
  }

  private keyEquals(slot: number, buf: Uint8Array, start: number, end: number): boolean {
    const from = this.keyStart[slot] ?? 0;
    if (this.keyLength(slot) !== end - start) return false;
    for (let k = 0; k < end - start; k++) if (this.keyBytes[from + k] !== buf[start + k]) return false;
    return true;
  }

  private grow(capacity: number): void {
    const f = new Float64Array(capacity * F_STRIDE);
    f.set(this.f.subarray(0, this.size * F_STRIDE));
    const i = new Int32Array(capacity * I_STRIDE);
    i.set(this.i.subarray(0, this.size * I_STRIDE));
    const u = new Uint8Array(capacity * U_STRIDE);
    u.set(this.u.subarray(0, this.size * U_STRIDE));
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes.subarray(0, this.size));
    const keyStart = new Uint32Array(capacity + 1);
    keyStart.set(this.keyStart.subarray(0, this.size + 1));
    this.f = f;
    this.i = i;
    this.u = u;
    this.hashes = hashes;
    this.keyStart = keyStart;
    this.capacity = capacity;
    this.rehash();
  }

  private rehash(): void {
    const tableSize = 2 ** Math.ceil(Math.log2(this.capacity * 2));
    this.table = new Int32Array(tableSize);
    this.mask = tableSize - 1;
    for (let slot = 0; slot < this.size; slot++) {
      let at = (this.hashes[slot] ?? 0) & this.mask;
      while ((this.table[at] ?? 0) !== 0) at = (at + 1) & this.mask;
      this.table[at] = slot + 1;
    }
  }

  /**
   * One customer's record as bytes (a layout tag, then the f, i and u parts), for the database:
   * the server keeps one row per customer and loads only the customers a batch touches.
   */
  exportRecord(slot: number): Uint8Array {
    const out = new Uint8Array(RECORD_BYTES);
    const view = new DataView(out.buffer);
    view.setUint32(0, RECORD_TAG, true);
    let at = 4;
    for (let k = 0; k < F_STRIDE; k++, at += 8) view.setFloat64(at, this.f[slot * F_STRIDE + k] ?? 0, true);
    for (let k = 0; k < I_STRIDE; k++, at += 4) view.setInt32(at, this.i[slot * I_STRIDE + k] ?? 0, true);
    out.set(this.u.subarray(slot * U_STRIDE, (slot + 1) * U_STRIDE), at);
    return out;
  }

  /** Every customer's record, for writing back what a run advanced. */
  exportAll(): { customerNumber: string; record: Uint8Array }[] {
    const out = [];
    for (let slot = 0; slot < this.size; slot++) out.push({ customerNumber: this.key(slot), record: this.exportRecord(slot) });
    return out;
  }

  /**
   * Puts a customer's record read from the database into this state (a fresh record if the
   * customer is new here); answers false, leaving a fresh record, when the bytes are of another
   * layout (the state is then rebuilt from stored transactions, `lifeline analysis rebuild`).
   */
  importRecord(customerNumber: string, record: Uint8Array): boolean {
    const key = Buffer.from(customerNumber, 'utf8');
    const slot = this.findOrAdd(key, 0, key.length);
    if (record.length !== RECORD_BYTES) return false;
    const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
    if (view.getUint32(0, true) !== RECORD_TAG) return false;
    let at = 4;
    for (let k = 0; k < F_STRIDE; k++, at += 8) this.f[slot * F_STRIDE + k] = view.getFloat64(at, true);
    for (let k = 0; k < I_STRIDE; k++, at += 4) this.i[slot * I_STRIDE + k] = view.getInt32(at, true);
    this.u.set(record.subarray(at, at + U_STRIDE), slot * U_STRIDE);
    return true;
  }

  /**
   * The state as a few byte arrays to write one after another: a header (format, the rule-set
   * version that built it, sizes) and the used part of each array.
   */
  serialize(rulesVersion: string): Uint8Array[] {
    const meta = Buffer.from(
      JSON.stringify({ rulesVersion, size: this.size, keyUsed: this.keyUsed, strides: STRIDES, BUCKETS, BUCKET_DAYS }),
      'utf8',
    );
    const head = Buffer.alloc(12);
    head.writeUInt32LE(MAGIC, 0);
    head.writeUInt32LE(FORMAT, 4);
    head.writeUInt32LE(meta.length, 8);
    const bytes = (a: ArrayBufferView, length: number) => new Uint8Array(a.buffer, a.byteOffset, length);
    return [
      head,
      meta,
      bytes(this.keyStart, (this.size + 1) * 4),
      bytes(this.keyBytes, this.keyUsed),
      bytes(this.hashes, this.size * 4),
      bytes(this.f, this.size * F_STRIDE * 8),
      bytes(this.i, this.size * I_STRIDE * 4),
      bytes(this.u, this.size * U_STRIDE),
    ];
  }

  /** Reads what serialize() wrote; answers the state and the rule-set version that built it. Throws on a foreign or damaged file. */
  static deserialize(buf: Uint8Array): { state: AnalysisState; rulesVersion: string } {
    const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    if (view.length < 12 || view.readUInt32LE(0) !== MAGIC || view.readUInt32LE(4) !== FORMAT)
      throw new Error('not a Lifeline analysis state file');
    const metaLength = view.readUInt32LE(8);
    let meta: unknown;
    try {
      meta = JSON.parse(view.subarray(12, 12 + metaLength).toString('utf8'));
    } catch {
      meta = null;
    }
    if (
      !isMeta(meta) ||
      JSON.stringify(meta.strides) !== JSON.stringify(STRIDES) ||
      meta.BUCKETS !== BUCKETS ||
      meta.BUCKET_DAYS !== BUCKET_DAYS
    )
      throw new Error('the state file was written with another state layout: rebuild it from history');
    const { size, keyUsed } = meta;
    const expected = 12 + metaLength + (size + 1) * 4 + keyUsed + size * 4 + size * (F_STRIDE * 8 + I_STRIDE * 4 + U_STRIDE);
    if (view.length !== expected) throw new Error('the state file is truncated or damaged');
    const state = new AnalysisState(Math.ceil(size * 1.1) + 1024);
    let at = 12 + metaLength;
    // Copy each section into fresh arrays: the file buffer need not be aligned, and copying leaves room to grow.
    const take = (length: number) => {
      const part = view.subarray(at, at + length);
      at += length;
      return part;
    };
    const copyInto = (target: ArrayBufferView, length: number) =>
      new Uint8Array(target.buffer, target.byteOffset, length).set(take(length));
    copyInto(state.keyStart, (size + 1) * 4);
    state.keyBytes = new Uint8Array(Math.max(keyUsed * 2, 1024));
    state.keyBytes.set(take(keyUsed));
    copyInto(state.hashes, size * 4);
    copyInto(state.f, size * F_STRIDE * 8);
    copyInto(state.i, size * I_STRIDE * 4);
    copyInto(state.u, size * U_STRIDE);
    state.size = size;
    state.keyUsed = keyUsed;
    state.rehash();
    return { state, rulesVersion: meta.rulesVersion };
  }
}

interface Meta {
  rulesVersion: string;
  size: number;
  keyUsed: number;
  strides: unknown;
  BUCKETS: number;
  BUCKET_DAYS: number;
}

function isMeta(m: unknown): m is Meta {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>; // narrowed to a non-null object just above
  return (
    typeof r.rulesVersion === 'string' && Number.isSafeInteger(r.size) && Number.isSafeInteger(r.keyUsed) && typeof r.BUCKETS === 'number'
  );
}
