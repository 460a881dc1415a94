import {
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  RawNode,
  type RootOperationNode,
  SelectQueryNode,
  type UnknownRow,
} from 'kysely';

// A process-wide count of the writes sent to the database: every statement but a SELECT (a raw
// one counts unless its text starts with SELECT), when it is sent and again when it has changed rows.
let writes = 0;

function isRead(node: RootOperationNode): boolean {
  if (SelectQueryNode.is(node)) return true;
  return RawNode.is(node) && /^\s*select\b/i.test(node.sqlFragments[0] ?? '');
}

/** Counts every write of the Kysely instance it is given to (openDatabase adds it to each). */
export class WriteCountPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs) {
    if (!isRead(args.node)) writes += 1;
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (args.result.numAffectedRows !== undefined && args.result.numAffectedRows > 0n) writes += 1;
    return args.result;
  }
}

/**
 * A small cache of answers read from the database, for lookups other bank systems ask thousands of
 * times a second (the branch queue's priority lookup). An answer is used again only while this
 * process has written nothing since it was read — so it is exact for every change made through
 * this process — and for at most `ttlMs`, which bounds how long a change made by another process
 * (or one committing on PostgreSQL while the answer was read) stays unseen (docs/decisions-api.md).
 */
export class ReadCache<V> {
  private readonly entries = new Map<string, { value: V; writes: number; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** The cached answer for `key`, or `load()`'s, kept for the next caller. */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && hit.writes === writes && now < hit.until) return hit.value;
    const seen = writes;
    const value = await load();
    // A write that ran while loading may or may not be in the answer: keep it only if none did.
    if (seen === writes) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { value, writes: seen, until: now + this.ttlMs });
    }
    return value;
  }
}
