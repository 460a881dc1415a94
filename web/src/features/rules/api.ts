import { get, post } from '../../api/client';

export type RuleKind = 'illness_signal' | 'fund_safety';
export const KINDS: readonly RuleKind[] = ['illness_signal', 'fund_safety'];

/** One rule of a rule set as the API holds it (docs/analysis.md). */
export interface RuleJson {
  id: string;
  kind: RuleKind;
  description: string;
  params: Record<string, unknown>;
  weight: number;
}

/** A rule set's definition; settings the page does not know by name are kept and edited by type. */
export interface RuleSetJson {
  version: string;
  scoreCap: number;
  thresholds: Record<RuleKind, number>;
  plannedMarkers: string[];
  rules: RuleJson[];
  [setting: string]: unknown;
}

export interface Who {
  id: string;
  displayName: string;
}

export interface RuleSetSummary {
  version: string;
  status: 'draft' | 'active' | 'retired';
  note: string | null;
  builtIn: boolean;
  createdBy: Who | null;
  createdAt: string | null;
  activatedBy: Who | null;
  activatedAt: string | null;
}

export interface RuleSetDetail extends RuleSetSummary {
  definition: RuleSetJson;
}

export interface ChangedCustomer {
  customerNumber: string;
  score: number;
  rules: string[];
  activeScore: number;
  activeRules: string[];
}

interface Change {
  count: number;
  customers: ChangedCustomer[];
}

export interface DryRun {
  candidate: string;
  active: string;
  days: number;
  from: string;
  to: string;
  rows: number;
  customers: number;
  seconds: number;
  truncated: boolean;
  maxRows: number;
  customersWithheld: boolean;
  kinds: { kind: RuleKind; active: number; candidate: number; newlyFound: Change; noLongerFound: Change }[];
  rules: { id: string; kind: RuleKind; description: string; active: number; candidate: number }[];
}

const BASE = '/api/v1/analysis/rule-sets';
const at = (version: string) => `${BASE}/${encodeURIComponent(version)}`;

/** The versions, newest first. */
export async function listRuleSets(): Promise<RuleSetSummary[]> {
  return (await get<{ items: RuleSetSummary[] }>(BASE)).items;
}

/** One version with its definition. */
export function ruleSet(version: string): Promise<RuleSetDetail> {
  return get<RuleSetDetail>(at(version));
}

/** Saves a new draft version. */
export function createRuleSet(definition: RuleSetJson, note: string): Promise<RuleSetDetail> {
  return post<RuleSetDetail>(BASE, { definition, ...(note.trim() ? { note } : {}) });
}

/** Compares a stored version with the active one over the last days. */
export function dryRun(version: string, days: number): Promise<DryRun> {
  return post<DryRun>(`${at(version)}/dry-run`, { days });
}

/** Makes a version the active one. */
export function activateRuleSet(version: string): Promise<RuleSetDetail> {
  return post<RuleSetDetail>(`${at(version)}/activate`);
}
