import { consentWithdrawnFlag } from '../../domain/case-rules.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import type { Executor } from '../../platform/db/database.js';
import type { Actor, AppContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { activeCaseForCustomer } from '../case-access/case-access.service.js';
import type { CaseRecord } from '../case-access/case-records.service.js';
import { hasActiveSharingConsent, insertConsent, markConsentWithdrawn } from './cases.repository.js';
import type { ConsentInput } from './cases.schemas.js';
import {
  assertActive,
  assertEditor,
  assertGivenAt,
  assertPartner,
  bump,
  consentsOf,
  consentRow,
  sealText,
  visibleCase,
  writeVersion,
} from './cases.service.js';
import { viewAfterChange } from './case-view.service.js';

// ---------------------------------------------------------------------------------------------
// Consent (PIPL Art. 28–29)
// ---------------------------------------------------------------------------------------------

async function refreshConsentFlag(
  ctx: AppContext,
  db: Executor,
  c: CaseRecord,
  action: string,
  by: string,
  fields: string[],
): Promise<number> {
  const flag = consentWithdrawnFlag(await consentsOf(db, c.id)) ? 1 : 0;
  const version = await bump(db, c, c.version, { consent_withdrawn: flag, updated_at: ctx.now().toISOString() });
  const changes = flag !== c.consent_withdrawn ? [{ field: 'consentWithdrawn', old: c.consent_withdrawn === 1, new: flag === 1 }] : [];
  await writeVersion(ctx, db, {
    caseId: c.id,
    version,
    action,
    by,
    fields: [...fields, ...changes.map((ch) => ch.field)],
    changes,
  });
  return version;
}

/** Records one more consent: to process health information, or to share with a named partner. */
export async function addConsent(ctx: AppContext, db: Executor, actor: Actor, id: string, input: ConsentInput) {
  const c = await visibleCase(db, actor, id);
  assertEditor(actor, c);
  assertActive(c);
  assertGivenAt(ctx, input.givenAt, 'body.givenAt');
  if (input.kind === 'partner_sharing') await assertPartner(db, input.partnerId, 'body.partnerId');
  const row = consentRow(
    ctx,
    { caseId: c.id, customerId: c.customer_id, by: actor.id },
    {
      kind: input.kind,
      partner_id: input.kind === 'partner_sharing' ? input.partnerId : null,
      basis: null,
      channel: input.channel,
      given_at: input.givenAt,
      evidence_ref: input.evidenceRef,
      source: 'added',
      scope: input.scope,
    },
  );
  await insertConsent(db, row);
  const version = await refreshConsentFlag(ctx, db, c, 'consent_added', actor.id, [`consent.${input.kind}`]);
  await recordAudit(
    db,
    actor,
    {
      action: 'case.consent_added',
      target: { type: 'case', id: c.id },
      branchId: c.branch_id,
      detail: { version, consentId: row.id, kind: row.kind, partnerId: row.partner_id },
    },
    ctx.now(),
  );
  return viewAfterChange(ctx, db, actor, c.id);
}

/**
 * Withdraws a consent at once (PIPL Art. 15): sharing under it stops, the case stays and is
 * flagged. A withdrawal is honoured whatever the case's state.
 */
export async function withdrawConsent(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  id: string,
  consentId: string,
  input: { channel: string; note?: string },
) {
  const c = await visibleCase(db, actor, id);
  assertEditor(actor, c);
  const record = (await consentsOf(db, c.id)).find((r) => r.id === consentId);
  if (!record) throw new AppError('NOT_FOUND', 'no such consent');
  if (record.kind === 'legal_basis') throw new AppError('CONFLICT', 'a legal basis is not a consent and cannot be withdrawn');
  const now = ctx.now().toISOString();
  const done = await markConsentWithdrawn(db, record.id, {
    withdrawn_at: now,
    withdrawn_by: actor.id,
    withdrawal_channel: input.channel,
    withdrawal_note_enc: sealText(ctx, 'case_consents', 'withdrawal_note_enc', record.id, input.note),
  });
  if (!done) throw new AppError('CONFLICT', 'this consent is already withdrawn');
  const version = await refreshConsentFlag(ctx, db, c, 'consent_withdrawn', actor.id, [`consent.${record.kind}`]);
  await recordAudit(
    db,
    actor,
    {
      action: 'case.consent_withdrawn',
      target: { type: 'case', id: c.id },
      branchId: c.branch_id,
      detail: { version, consentId: record.id, kind: record.kind, partnerId: record.partner_id, channel: input.channel },
    },
    ctx.now(),
  );
  return viewAfterChange(ctx, db, actor, c.id);
}

/**
 * True while the customer's active case holds an active consent to share with the partner and
 * a basis to process the health information at all (consent or a recorded legal basis): a
 * withdrawal of either stops sharing at once (PIPL Art. 15, 23, 29).
 */
export async function sharingAllowed(db: Executor, customerId: string, partnerId: string): Promise<boolean> {
  const active = await activeCaseForCustomer(db, customerId);
  return active !== undefined && hasActiveSharingConsent(db, active.id, partnerId);
}
