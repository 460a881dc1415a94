import { type Monitoring, tightenedAmount, tightenedMultiple } from '../risk-assessment.js';
import { type Evidence, evidenceText, yuan } from './evidence.js';
import { type CompiledRule, type CompiledRuleSet, KIND_OF, RULE_IDS, type RuleId, type RuleKind, channelMask, mccTable } from './rules.js';
import {
  AnalysisState,
  BUCKET_DAYS,
  BUCKETS,
  F,
  HOSPITAL_SLOTS,
  I,
  NEVER,
  OWN_SLOTS,
  PAYEE_SLOTS,
  RING_SIZE,
  STRIDES,
  U,
} from './state.js';
import { CHANNELS, type TxnInput } from './transaction.js';

/**
 * The analysis engine (docs/analysis.md): folds transactions, one at a time and in booking order
 * per customer, into the bounded per-customer state, judging each against the customer's state
 * *before* it (a baseline never contains the transaction it judges). Rule hits accumulate per
 * customer and rule; finish() turns them into one finding per customer and kind, scored by the
 * weights of the rules that fired. Pure: no I/O, no clock — "today" is the latest booking seen.
 */

const DAY_MS = 86_400_000;
const EVIDENCE_CAP = 20;

/** The illness-signal rules, in the order of their slots in the state (I.illnessDays). */
const ILLNESS_RULE_IDS = RULE_IDS.filter((id) => KIND_OF[id] === 'illness_signal');
const ILLNESS_SLOT = new Map(ILLNESS_RULE_IDS.map((id, k) => [id, k]));

/** One transaction a rule fired on, with that hit's own facts. */
export interface TxnHit {
  txnId: string;
  facts: Evidence;
  /** The stronger monitoring (P7.2.2) whose tightened thresholds this hit was judged by; absent under the rule set's own. */
  monitoring?: Monitoring;
}

/**
 * One rule's part in a finding: API.md's `{id, evidence, detail}` (the latest hit's numbers in
 * English), the same facts as data, and each evidence transaction with its own facts — a rule
 * that fired on two transactions has two sets of numbers, and an alert about one of them shows
 * only its own (issue 10).
 */
export interface FindingRule {
  id: RuleId;
  evidence: string[];
  detail: string;
  facts: Evidence;
  /** evidence[i] is hits[i].txnId; empty for a rule about an absence or an earlier run. */
  hits: TxnHit[];
  /** The stronger monitoring the latest hit was judged by (P7.2.2), if any. */
  monitoring?: Monitoring;
}

/** A scored finding for one customer and kind. */
export interface Finding {
  kind: RuleKind;
  customerNumber: string;
  score: number;
  rules: FindingRule[];
}

/** Every rule that fired for a customer, whatever the score (precision and recall per rule use these). */
export interface RuleHit {
  customerNumber: string;
  kind: RuleKind;
  id: RuleId;
}

interface OpenHit {
  hits: TxnHit[];
  /** The latest hit's facts. */
  facts: Evidence;
  monitoring: Monitoring | undefined;
}

export { yuan };

/** The English detail of a hit: its facts, and the stronger monitoring it was judged by (P7.2.2). */
export function hitDetail(facts: Evidence, monitoring: Monitoring | undefined): string {
  const text = evidenceText(facts);
  return monitoring ? `${text}; stronger monitoring (${monitoring.level}): thresholds × ${monitoring.multiplier}` : text;
}

/** The fund-safety rules of a set with their thresholds tightened by a factor (P7.2.2); the illness rules as they are. */
export function tightenedRules(byId: CompiledRuleSet['byId'], multiplier: number): CompiledRuleSet['byId'] {
  const out: CompiledRuleSet['byId'] = { ...byId };
  const amount = (minor: number) => tightenedAmount(minor, multiplier);
  const big = byId.outflow_above_baseline;
  if (big)
    out.outflow_above_baseline = {
      ...big,
      params: {
        ...big.params,
        minAmountMinor: amount(big.params.minAmountMinor),
        multiple: tightenedMultiple(big.params.multiple, multiplier),
      },
    };
  const payee = byId.new_payee_large;
  if (payee) out.new_payee_large = { ...payee, params: { ...payee.params, minAmountMinor: amount(payee.params.minAmountMinor) } };
  const burst = byId.outflow_burst;
  if (burst) out.outflow_burst = { ...burst, params: { ...burst.params, minTotalMinor: amount(burst.params.minTotalMinor) } };
  const odd = byId.unusual_hour_or_channel;
  if (odd)
    out.unusual_hour_or_channel = {
      ...odd,
      params: {
        ...odd.params,
        minAmountMinor: amount(odd.params.minAmountMinor),
        newChannelMinAmountMinor: amount(odd.params.newChannelMinAmountMinor),
      },
    };
  const cash = byId.large_cash_withdrawal;
  if (cash) out.large_cash_withdrawal = { ...cash, params: { ...cash.params, minAmountMinor: amount(cash.params.minAmountMinor) } };
  return out;
}

function dayText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function matchesAny(text: string, words: readonly string[]): boolean {
  for (const w of words) if (text.includes(w)) return true;
  return false;
}

const lower = (words: readonly string[]) => words.map((w) => w.toLowerCase());

/** The engine over one rule set and one state (a fresh one, or one loaded to go on from). */
export class AnalysisEngine {
  readonly state: AnalysisState;
  /** The latest booking day seen (days since the epoch): "today" for rules about absence. */
  maxDay = NEVER;
  private readonly hits = new Map<number, Map<number, OpenHit>>();
  /** isPlanned() of the transaction being judged: -1 not yet known, 0 no, 1 yes. */
  private plannedMemo = -1;
  private readonly r: CompiledRuleSet['byId'];
  /** The fund-safety rules tightened per factor of stronger monitoring, made when first needed. */
  private readonly tightened = new Map<number, CompiledRuleSet['byId']>();
  /** The monitoring of each slot (customer) seen in this run, looked up once per customer. */
  private readonly slotMonitoring = new Map<number, Monitoring | null>();
  private readonly planned: readonly string[];
  private readonly hospitalMccs: Uint8Array;
  private readonly exemptMccs: Uint8Array;
  private readonly payeeChannels: number;
  private readonly cashChannels: number;
  private readonly quietChannels: number;
  private readonly night: { start: number; end: number; offset: number };
  private readonly words: {
    hospital: string[];
    insurer: string[];
    payout: string[];
    crowdfunding: string[];
    redemption: string[];
    payroll: string[];
  };

  /**
   * `monitoring`: the customers (by customer number) under stronger monitoring (P7.2.2), whose
   * fund-safety thresholds are tightened by their factor from their next transaction on.
   */
  constructor(
    readonly rules: CompiledRuleSet,
    state?: AnalysisState,
    private readonly monitoring: ReadonlyMap<string, Monitoring> = new Map(),
  ) {
    this.state = state ?? new AnalysisState();
    const r = rules.byId;
    this.r = r;
    this.planned = rules.plannedMarkers;
    this.hospitalMccs = mccTable(r.recurring_hospital_payments?.params.hospitalMccs ?? []);
    this.exemptMccs = mccTable(r.outflow_above_baseline?.params.exemptMccs ?? []);
    this.payeeChannels = channelMask(r.new_payee_large?.params.channels ?? []);
    this.cashChannels = channelMask(r.large_cash_withdrawal?.params.channels ?? []);
    this.quietChannels = channelMask(r.unusual_hour_or_channel?.params.ignoreChannels ?? []);
    const u = r.unusual_hour_or_channel?.params;
    this.night = { start: u?.nightStartHour ?? 0, end: u?.nightEndHour ?? 5, offset: u?.utcOffsetHours ?? 8 };
    this.words = {
      hospital: lower(r.recurring_hospital_payments?.params.nameKeywords ?? []),
      insurer: lower(r.ci_insurance_payout?.params.insurerKeywords ?? []),
      payout: lower(r.ci_insurance_payout?.params.payoutKeywords ?? []),
      crowdfunding: lower(r.medical_crowdfunding?.params.keywords ?? []),
      redemption: lower(r.early_redemption_near_medical?.params.keywords ?? []),
      payroll: lower(r.payroll_stopped?.params.keywords ?? []),
    };
  }

  /** Folds one transaction into the state, recording the rules it makes fire. O(1). */
  observe(t: TxnInput): void {
    const s = this.state;
    const slot = s.findOrAdd(t.keyBuf, t.keyStart, t.keyEnd);
    const ib = slot * STRIDES.i;
    const fb = slot * STRIDES.f;
    const ub = slot * STRIDES.u;
    const i32 = s.i;
    const f64 = s.f;
    const day = Math.floor(t.atMs / DAY_MS);
    if (day > this.maxDay) this.maxDay = day;
    const bucket = Math.floor(day / BUCKET_DAYS);
    if (i32[ib + I.firstDay] === NEVER) {
      i32[ib + I.firstDay] = day;
      i32[ib + I.epoch] = bucket;
    } else if (day < (i32[ib + I.firstDay] ?? 0)) i32[ib + I.firstDay] = day;
    const epoch = i32[ib + I.epoch] ?? 0;
    if (bucket > epoch) {
      // Days went by: the buckets they skip, and the one the new day starts, begin empty.
      const steps = Math.min(BUCKETS, bucket - epoch);
      for (let k = 1; k <= steps; k++) {
        const at = (((epoch + k) % BUCKETS) + BUCKETS) % BUCKETS;
        f64[fb + F.debitSum + at] = 0;
        f64[fb + F.medicalSum + at] = 0;
        i32[ib + I.debitCount + at] = 0;
      }
      i32[ib + I.epoch] = bucket;
    }
    const current = i32[ib + I.epoch] ?? 0;
    // A transaction older than the window (files slightly out of order) no longer counts in a bucket.
    const inWindow = bucket > current - BUCKETS;
    const b = ((bucket % BUCKETS) + BUCKETS) % BUCKETS;
    if (day > (i32[ib + I.lastDay] ?? NEVER)) i32[ib + I.lastDay] = day;
    this.rememberOwn(ib, ub, t.accountHash);

    if (t.debit) this.debit(t, slot, ib, fb, ub, day, inWindow, b, current);
    else this.credit(t, slot, ib, ub, day, current);
  }

  private debit(
    t: TxnInput,
    slot: number,
    ib: number,
    fb: number,
    ub: number,
    day: number,
    inWindow: boolean,
    b: number,
    current: number,
  ): void {
    const i32 = this.state.i;
    const f64 = this.state.f;
    const u8 = this.state.u;
    const amount = t.amountMinor;
    const watch = this.monitoringOf(slot);
    const r = watch ? this.tightenedFor(watch.multiplier) : this.r;
    let windowSum = 0;
    let windowCount = 0;
    for (let k = 0; k < BUCKETS; k++) {
      windowSum += f64[fb + F.debitSum + k] ?? 0;
      windowCount += i32[ib + I.debitCount + k] ?? 0;
    }
    const totalDebits = i32[ib + I.totalDebits] ?? 0;
    const own = t.counterpartyAccountHash !== 0 && this.isOwn(ib, t.counterpartyAccountHash);
    this.plannedMemo = -1;
    const channelBit = 1 << t.channel;

    const big = r.outflow_above_baseline;
    if (
      big &&
      !own &&
      amount >= big.params.minAmountMinor &&
      windowCount >= big.params.minHistory &&
      (t.mcc < 0 || this.exemptMccs[t.mcc] !== 1)
    ) {
      // amount ≥ multiple × (windowSum / windowCount), kept in integers: no division of money.
      if (amount * windowCount >= big.params.multiple * windowSum && !this.isPlanned(t))
        this.hit(slot, big, t, watch, {
          key: 'outflow_above_baseline',
          values: {
            amountMinor: amount,
            ratio: Number(((amount * windowCount) / windowSum).toFixed(1)),
            averageMinor: Math.round(windowSum / windowCount),
            count: windowCount,
            days: BUCKETS * BUCKET_DAYS,
          },
        });
    }

    const payee = r.new_payee_large;
    if (
      payee &&
      !own &&
      t.counterpartyAccountHash !== 0 &&
      amount >= payee.params.minAmountMinor &&
      (this.payeeChannels & channelBit) !== 0 &&
      totalDebits >= payee.params.minHistory &&
      !this.knowsPayee(ib, t.counterpartyAccountHash) &&
      !this.isPlanned(t)
    )
      this.hit(slot, payee, t, watch, {
        key: 'new_payee_large',
        values: { amountMinor: amount, payee: t.counterpartyName() || null, earlier: totalDebits },
      });

    // The ring of recent outflows: the burst rule counts those within its window, this one included.
    const next = u8[ub + U.ringNext] ?? 0;
    f64[fb + F.ringAt + next] = t.atMs;
    f64[fb + F.ringAmount + next] = amount;
    u8[ub + U.ringNext] = (next + 1) % RING_SIZE;
    const burst = r.outflow_burst;
    if (burst && !own) {
      const from = t.atMs - burst.params.windowMinutes * 60_000;
      let count = 0;
      let sum = 0;
      for (let k = 0; k < RING_SIZE; k++) {
        const at = f64[fb + F.ringAt + k] ?? 0;
        if (at > from && at <= t.atMs) {
          count++;
          sum += f64[fb + F.ringAmount + k] ?? 0;
        }
      }
      if (count >= burst.params.minCount && sum >= burst.params.minTotalMinor)
        this.hit(slot, burst, t, watch, {
          key: 'outflow_burst',
          values: { count, totalMinor: sum, windowMinutes: burst.params.windowMinutes },
        });
    }

    const hour = Math.floor((((t.atMs / 3_600_000 + this.night.offset) % 24) + 24) % 24);
    const atNight = this.night.start <= hour && hour < this.night.end;
    const odd = r.unusual_hour_or_channel;
    if (
      odd &&
      (this.quietChannels & channelBit) === 0 &&
      !own &&
      amount >= odd.params.minAmountMinor &&
      totalDebits >= odd.params.minHistory
    ) {
      const nightDebits = i32[ib + I.nightDebits] ?? 0;
      const knownChannels = u8[ub + U.channels] ?? 0;
      if (atNight && nightDebits <= odd.params.maxNightShare * totalDebits && !this.isPlanned(t))
        this.hit(slot, odd, t, watch, {
          key: 'unusual_hour',
          values: { amountMinor: amount, hour, night: nightDebits, earlier: totalDebits },
        });
      else if (
        (knownChannels & channelBit) === 0 &&
        amount >= odd.params.newChannelMinAmountMinor &&
        totalDebits >= odd.params.newChannelMinHistory &&
        !this.isPlanned(t)
      )
        this.hit(slot, odd, t, watch, {
          key: 'unusual_channel',
          values: { amountMinor: amount, channel: CHANNELS[t.channel], earlier: totalDebits },
        });
    }

    const cash = r.large_cash_withdrawal;
    if (cash && (this.cashChannels & channelBit) !== 0 && amount >= cash.params.minAmountMinor && !this.isPlanned(t))
      this.hit(slot, cash, t, watch, { key: 'large_cash_withdrawal', values: { amountMinor: amount, channel: CHANNELS[t.channel] } });

    if (t.mcc >= 0 && this.rules.isMedical[t.mcc] === 1) this.medical(t, slot, ib, fb, ub, day, inWindow, b, current);

    if (inWindow) {
      f64[fb + F.debitSum + b] = (f64[fb + F.debitSum + b] ?? 0) + amount;
      i32[ib + I.debitCount + b] = (i32[ib + I.debitCount + b] ?? 0) + 1;
    }
    i32[ib + I.totalDebits] = totalDebits + 1;
    if (atNight && (this.quietChannels & channelBit) === 0) i32[ib + I.nightDebits] = (i32[ib + I.nightDebits] ?? 0) + 1;
    u8[ub + U.channels] = (u8[ub + U.channels] ?? 0) | channelBit;
    if (t.counterpartyAccountHash !== 0 && !own && !this.knowsPayee(ib, t.counterpartyAccountHash)) {
      const p = u8[ub + U.payeeNext] ?? 0;
      i32[ib + I.payees + p] = t.counterpartyAccountHash;
      u8[ub + U.payeeNext] = (p + 1) % PAYEE_SLOTS;
    }
  }

  private medical(
    t: TxnInput,
    slot: number,
    ib: number,
    fb: number,
    ub: number,
    day: number,
    inWindow: boolean,
    b: number,
    current: number,
  ): void {
    const i32 = this.state.i;
    const f64 = this.state.f;
    const u8 = this.state.u;
    const r = this.r;
    if (inWindow) f64[fb + F.medicalSum + b] = (f64[fb + F.medicalSum + b] ?? 0) + t.amountMinor;
    const { recent, baseline30 } = this.medicalWindow(ib, fb, current);

    const med = r.medical_spend_above_baseline;
    if (med && recent >= med.params.minRecentMinor && recent >= med.params.multiple * Math.max(baseline30, med.params.baselineFloorMinor))
      this.hit(slot, med, t, undefined, {
        key: 'medical_spend_above_baseline',
        values: {
          recentMinor: recent,
          baselineMinor: Math.round(baseline30),
          latestMinor: t.amountMinor,
          merchant: t.counterpartyName() || null,
          mcc: String(t.mcc).padStart(4, '0'),
        },
      });

    const redemption = r.early_redemption_near_medical;
    const redeemedOn = i32[ib + I.redemptionDay] ?? NEVER;
    if (
      redemption &&
      redeemedOn !== NEVER &&
      day - redeemedOn <= redemption.params.windowDays &&
      recent >= redemption.params.minMedicalMinor
    )
      this.hit(slot, redemption, t, undefined, {
        key: 'medical_after_redemption',
        values: { medicalMinor: recent, days: day - redeemedOn, redeemedOn: dayText(redeemedOn) },
      });

    const recurring = r.recurring_hospital_payments;
    if (recurring && (this.hospitalMccs[t.mcc] === 1 || matchesAny(t.counterpartyName().toLowerCase(), this.words.hospital))) {
      const h = t.counterpartyNameHash();
      if (i32[ib + I.hospitalHash] !== h) {
        // Another hospital: its own count starts.
        i32[ib + I.hospitalHash] = h;
        for (let k = 0; k < HOSPITAL_SLOTS; k++) i32[ib + I.hospitalDays + k] = NEVER;
        u8[ub + U.hospitalNext] = 0;
      }
      const next = u8[ub + U.hospitalNext] ?? 0;
      if (i32[ib + I.hospitalDays + ((next + HOSPITAL_SLOTS - 1) % HOSPITAL_SLOTS)] !== day) {
        i32[ib + I.hospitalDays + next] = day;
        u8[ub + U.hospitalNext] = (next + 1) % HOSPITAL_SLOTS;
      }
      // A sliding window: the distinct payment days (of the last few kept) within windowDays of today.
      let count = 0;
      for (let k = 0; k < HOSPITAL_SLOTS; k++) {
        const d = i32[ib + I.hospitalDays + k] ?? NEVER;
        if (d !== NEVER && day - d <= recurring.params.windowDays) count++;
      }
      if (count >= recurring.params.minPayments)
        this.hit(slot, recurring, t, undefined, {
          key: 'recurring_hospital_payments',
          values: { hospital: t.counterpartyName() || null, days: count, windowDays: recurring.params.windowDays },
        });
    }
  }

  /** Medical spending in the current and previous bucket, and the customer's older spending scaled to 30 days. */
  private medicalWindow(ib: number, fb: number, current: number): { recent: number; baseline30: number } {
    const f64 = this.state.f;
    let recent = 0;
    let older = 0;
    for (let k = 0; k < BUCKETS; k++) {
      const v = f64[fb + F.medicalSum + ((((current - k) % BUCKETS) + BUCKETS) % BUCKETS)] ?? 0;
      if (k < 2) recent += v;
      else older += v;
    }
    // The baseline covers the older buckets as far as the customer's history reaches into them.
    const olderEnd = (current - 1) * BUCKET_DAYS;
    const olderStart = Math.max((current - BUCKETS + 1) * BUCKET_DAYS, this.state.i[ib + I.firstDay] ?? 0);
    const olderDays = olderEnd - olderStart;
    // A rate, not a sum of money: compared with thresholds only, never stored or added up.
    return { recent, baseline30: olderDays >= BUCKET_DAYS ? (older * 30) / olderDays : 0 };
  }

  private credit(t: TxnInput, slot: number, ib: number, ub: number, day: number, current: number): void {
    const i32 = this.state.i;
    const u8 = this.state.u;
    const r = this.r;
    const amount = t.amountMinor;
    const name = t.counterpartyName().toLowerCase();
    const description = t.description().toLowerCase();

    const payout = r.ci_insurance_payout;
    if (
      payout &&
      amount >= payout.params.minAmountMinor &&
      matchesAny(name, this.words.insurer) &&
      (matchesAny(description, this.words.payout) || matchesAny(name, this.words.payout))
    )
      this.hit(slot, payout, t, undefined, {
        key: 'ci_insurance_payout',
        values: { amountMinor: amount, insurer: t.counterpartyName(), description: t.description() },
      });

    const crowd = r.medical_crowdfunding;
    if (
      crowd &&
      amount >= crowd.params.minAmountMinor &&
      (matchesAny(name, this.words.crowdfunding) || matchesAny(description, this.words.crowdfunding))
    )
      this.hit(slot, crowd, t, undefined, {
        key: 'medical_crowdfunding',
        values: { amountMinor: amount, platform: t.counterpartyName() || null },
      });

    const redemption = r.early_redemption_near_medical;
    if (redemption && amount >= redemption.params.minAmountMinor && matchesAny(description, this.words.redemption)) {
      i32[ib + I.redemptionDay] = day;
      const { recent } = this.medicalWindow(ib, slot * STRIDES.f, current);
      if (recent >= redemption.params.minMedicalMinor)
        this.hit(slot, redemption, t, undefined, { key: 'redemption_near_medical', values: { amountMinor: amount, medicalMinor: recent } });
    }

    if (this.r.payroll_stopped && matchesAny(description, this.words.payroll)) {
      if (day >= (i32[ib + I.payrollLastDay] ?? NEVER)) i32[ib + I.payrollLastDay] = day;
      u8[ub + U.payrollCount] = Math.min(255, (u8[ub + U.payrollCount] ?? 0) + 1);
      u8[ub + U.payrollReported] = 0;
    }
  }

  /** Whether the transaction was announced (a planned marker in its description); decoded once per transaction, only when a rule asks. */
  private isPlanned(t: TxnInput): boolean {
    if (this.plannedMemo === -1) this.plannedMemo = matchesAny(t.description(), this.planned) ? 1 : 0;
    return this.plannedMemo === 1;
  }

  private isOwn(ib: number, hash: number): boolean {
    for (let k = 0; k < OWN_SLOTS; k++) if (this.state.i[ib + I.own + k] === hash) return true;
    return false;
  }

  private rememberOwn(ib: number, ub: number, hash: number): void {
    if (hash === 0 || this.isOwn(ib, hash)) return;
    const next = this.state.u[ub + U.ownNext] ?? 0;
    this.state.i[ib + I.own + next] = hash;
    this.state.u[ub + U.ownNext] = (next + 1) % OWN_SLOTS;
  }

  private knowsPayee(ib: number, hash: number): boolean {
    for (let k = 0; k < PAYEE_SLOTS; k++) if (this.state.i[ib + I.payees + k] === hash) return true;
    return false;
  }

  /** The stronger monitoring of the customer in a slot, if any: looked up once per customer and run. */
  private monitoringOf(slot: number): Monitoring | undefined {
    if (this.monitoring.size === 0) return undefined;
    let m = this.slotMonitoring.get(slot);
    if (m === undefined) {
      m = this.monitoring.get(this.state.key(slot)) ?? null;
      this.slotMonitoring.set(slot, m);
    }
    return m ?? undefined;
  }

  private tightenedFor(multiplier: number): CompiledRuleSet['byId'] {
    let byId = this.tightened.get(multiplier);
    if (!byId) {
      byId = tightenedRules(this.r, multiplier);
      this.tightened.set(multiplier, byId);
    }
    return byId;
  }

  private hit(slot: number, rule: CompiledRule, t: TxnInput | null, monitoring: Monitoring | undefined, facts: Evidence): void {
    let byRule = this.hits.get(slot);
    if (!byRule) {
      byRule = new Map();
      this.hits.set(slot, byRule);
    }
    let open = byRule.get(rule.index);
    if (!open) {
      open = { hits: [], facts, monitoring };
      byRule.set(rule.index, open);
    }
    open.facts = facts;
    open.monitoring = monitoring;
    // Each transaction keeps the facts of its own hit: the rule's latest numbers are about another one.
    if (t && open.hits.length < EVIDENCE_CAP) open.hits.push({ txnId: t.txnId(), facts, ...(monitoring ? { monitoring } : {}) });
    const k = ILLNESS_SLOT.get(rule.id);
    if (k !== undefined) this.state.i[slot * STRIDES.i + I.illnessDays + k] = t ? Math.floor(t.atMs / DAY_MS) : this.maxDay;
  }

  /**
   * Ends a scan: applies the rules about absence (payroll stopped) as of the latest day seen,
   * answers one finding per customer and kind that reaches its threshold, and every rule hit;
   * then forgets the hits (the state stays, for the next scan).
   */
  finish(): { findings: Finding[]; hits: RuleHit[] } {
    const payroll = this.r.payroll_stopped;
    if (payroll && this.maxDay !== NEVER) {
      const { i: i32, u: u8 } = this.state;
      for (let slot = 0; slot < this.state.size; slot++) {
        const ib = slot * STRIDES.i;
        const ub = slot * STRIDES.u;
        const last = i32[ib + I.payrollLastDay] ?? NEVER;
        if (last === NEVER || u8[ub + U.payrollReported] === 1 || (u8[ub + U.payrollCount] ?? 0) < payroll.params.minCredits) continue;
        const gap = this.maxDay - last;
        if (gap > payroll.params.maxGapDays) {
          u8[ub + U.payrollReported] = 1;
          this.hit(slot, payroll, null, undefined, {
            key: 'payroll_stopped',
            values: { gapDays: gap, since: dayText(last), regular: u8[ub + U.payrollCount] ?? 0 },
          });
        }
      }
    }
    const findings: Finding[] = [];
    const hits: RuleHit[] = [];
    for (const [slot, byRule] of this.hits) {
      const customerNumber = this.state.key(slot);
      for (const kind of ['illness_signal', 'fund_safety'] as const) {
        let score = 0;
        const rules: FindingRule[] = [];
        let firedNow = false;
        for (const rule of this.rules.rules) {
          if (rule.kind !== kind) continue;
          const open = byRule.get(rule.index);
          if (open) {
            firedNow = true;
            hits.push({ customerNumber, kind, id: rule.id });
            score += rule.weight;
            rules.push({
              id: rule.id,
              evidence: open.hits.map((h) => h.txnId),
              detail: hitDetail(open.facts, open.monitoring),
              facts: open.facts,
              hits: open.hits,
              ...(open.monitoring ? { monitoring: open.monitoring } : {}),
            });
            continue;
          }
          // An illness rule that fired in an earlier run (an earlier chunk or day) within the window
          // still counts: signals that build up over weeks arrive in different files.
          const k = ILLNESS_SLOT.get(rule.id);
          const day = k === undefined ? NEVER : (this.state.i[slot * STRIDES.i + I.illnessDays + k] ?? NEVER);
          if (day !== NEVER && this.maxDay - day <= this.rules.illnessWindowDays) {
            score += rule.weight;
            const facts: Evidence = { key: 'fired_earlier', values: { on: dayText(day) } };
            rules.push({ id: rule.id, evidence: [], detail: evidenceText(facts), facts, hits: [] });
          }
        }
        if (!firedNow) continue;
        score = Math.min(score, this.rules.scoreCap);
        if (rules.length > 0 && score >= this.rules.thresholds[kind]) findings.push({ kind, customerNumber, score, rules });
      }
    }
    this.hits.clear();
    return { findings, hits };
  }
}
