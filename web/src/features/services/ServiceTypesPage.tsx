import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { TEAM_ROLES } from '../../../../src/domain/roles.js';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Feedback';
import { ProcedureEditorDialog } from '../procedures/ProcedureEditor';
import { type ServiceType, type ServiceTypeChange, useServiceTypes } from './api';
import { useDocumentName } from './ServiceBits';

type Doc = ServiceType['documentsReduced'][number];

/** Changes one catalogue entry with the version it was read at (If-Match): a change made meanwhile is refused. */
function usePatchType(type: ServiceType, onDone: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ServiceTypeChange) =>
      request<ServiceType>('PATCH', `/api/v1/admin/service-types/${encodeURIComponent(type.code)}`, {
        body,
        headers: { 'if-match': `"${type.version}"` },
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['services', 'types'] });
      onDone();
    },
  });
}

/** A list of documents to edit: each with its Chinese and English name; codes stay as they are and new ones are made up. */
function DocumentsEditor({ legend, docs, onChange }: { legend: string; docs: Doc[]; onChange: (docs: Doc[]) => void }) {
  const { t } = useTranslation();
  const set = (i: number, change: Partial<Doc>) => onChange(docs.map((d, j) => (i === j ? { ...d, ...change } : d)));
  return (
    <fieldset className="form-section">
      <legend>{legend}</legend>
      {docs.map((d, i) => (
        <div key={d.code} className="field-inline">
          <Field label={t('services.types.docZh')} value={d.zh} onChange={(e) => set(i, { zh: e.target.value })} maxLength={100} required />
          <Field label={t('services.types.docEn')} value={d.en} onChange={(e) => set(i, { en: e.target.value })} maxLength={100} required />
          <button type="button" className="button button-small" onClick={() => onChange(docs.filter((_, j) => j !== i))}>
            {t('services.types.removeDoc')}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button-small"
        // A code the reader never sees: only the names are theirs to write.
        onClick={() => onChange([...docs, { code: `doc_${Date.now().toString(36)}`, zh: '', en: '' }])}
        disabled={docs.length >= 20}
      >
        {t('services.types.addDoc')}
      </button>
    </fieldset>
  );
}

/** The form changing a type's names, owner, approval, times and documents. */
function EditTypeDialog({ type, onClose }: { type: ServiceType; onClose: () => void }) {
  const { t } = useTranslation();
  const ownerId = useId();
  const [draft, setDraft] = useState({
    nameZh: type.name.zh,
    nameEn: type.name.en,
    ownerRole: type.ownerRole,
    needsApproval: type.needsApproval,
    standardHours: String(type.standardHours),
    priorityHours: String(type.priorityHours),
    documentsStandard: type.documentsStandard,
    documentsReduced: type.documentsReduced,
  });
  const patch = usePatchType(type, onClose);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    patch.mutate({
      nameZh: draft.nameZh.trim(),
      nameEn: draft.nameEn.trim(),
      ownerRole: draft.ownerRole,
      needsApproval: draft.needsApproval,
      standardHours: Number(draft.standardHours),
      priorityHours: Number(draft.priorityHours),
      documentsStandard: draft.documentsStandard,
      documentsReduced: draft.documentsReduced,
    });
  };
  return (
    <Dialog title={t('services.types.editTitle')} onClose={onClose} wide>
      <form className="form" onSubmit={submit} data-testid="service-type-form">
        <div className="grid-2">
          <Field
            label={t('services.types.nameZh')}
            value={draft.nameZh}
            onChange={(e) => setDraft({ ...draft, nameZh: e.target.value })}
            maxLength={60}
            required
          />
          <Field
            label={t('services.types.nameEn')}
            value={draft.nameEn}
            onChange={(e) => setDraft({ ...draft, nameEn: e.target.value })}
            maxLength={80}
            required
          />
          <div className="field">
            <label htmlFor={ownerId}>{t('services.types.owner')}</label>
            <select
              id={ownerId}
              value={draft.ownerRole}
              onChange={(e) => {
                const role = TEAM_ROLES.find((r) => r === e.target.value);
                if (role) setDraft({ ...draft, ownerRole: role });
              }}
            >
              {TEAM_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={draft.needsApproval}
              onChange={(e) => setDraft({ ...draft, needsApproval: e.target.checked })}
            />
            {t('services.types.needsApproval')}
          </label>
          <Field
            label={t('services.types.standardHours')}
            type="number"
            min={1}
            max={2000}
            value={draft.standardHours}
            onChange={(e) => setDraft({ ...draft, standardHours: e.target.value })}
            required
          />
          <Field
            label={t('services.types.priorityHours')}
            type="number"
            min={1}
            max={2000}
            value={draft.priorityHours}
            onChange={(e) => setDraft({ ...draft, priorityHours: e.target.value })}
            hint={t('services.types.priorityHint')}
            required
          />
        </div>
        <DocumentsEditor
          legend={t('services.types.documentsStandard')}
          docs={draft.documentsStandard}
          onChange={(documentsStandard) => setDraft({ ...draft, documentsStandard })}
        />
        <DocumentsEditor
          legend={t('services.types.documentsReduced')}
          docs={draft.documentsReduced}
          onChange={(documentsReduced) => setDraft({ ...draft, documentsReduced })}
        />
        <ErrorNotice error={patch.error} />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button-primary" disabled={patch.isPending} data-testid="service-type-save">
            {t('common.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Switching a type off or on again: a type is never deleted, requests made of it keep their meaning. */
function ActiveToggle({ type }: { type: ServiceType }) {
  const { t } = useTranslation();
  const patch = usePatchType(type, () => {});
  return (
    <>
      <button
        type="button"
        className={type.active ? 'button button-small button-danger-outline' : 'button button-small'}
        onClick={() => patch.mutate({ active: !type.active })}
        disabled={patch.isPending}
        data-testid="service-type-toggle"
      >
        {t(type.active ? 'services.types.switchOff' : 'services.types.switchOn')}
      </button>
      <ErrorNotice error={patch.error} />
    </>
  );
}

/** The service catalogue for administrators (P4, P6.1.1, P6.2.2): each type's owner, approval, times and documents. */
export function ServiceTypesPage() {
  const { t, i18n } = useTranslation();
  const types = useServiceTypes();
  const docName = useDocumentName();
  const docList = (docs: readonly Doc[]) => (docs.length === 0 ? t('common.none') : docs.map(docName).join(t('services.types.listJoiner')));
  const [editing, setEditing] = useState<ServiceType | null>(null);
  const [procedureOf, setProcedureOf] = useState<ServiceType | null>(null);
  const english = i18n.language.startsWith('en');
  return (
    <div className="page" data-testid="service-types-page">
      <header className="page-header">
        <div>
          <h1>{t('services.types.title')}</h1>
          <p className="page-sub">{t('services.types.intro')}</p>
        </div>
      </header>
      <ErrorNotice error={types.error} />
      {types.isPending ? (
        <Loading />
      ) : (
        <section className="card card-flush">
          <div className="table-scroll">
            <table className="table" data-testid="service-types">
              <thead>
                <tr>
                  <th scope="col">{t('services.types.name')}</th>
                  <th scope="col">{t('services.types.owner')}</th>
                  <th scope="col">{t('services.types.approval')}</th>
                  <th scope="col">{t('services.types.hours')}</th>
                  <th scope="col">{t('services.types.documents')}</th>
                  <th scope="col">{t('services.field.status')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('services.field.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {(types.data ?? []).map((type) => (
                  <tr key={type.code} className={type.active ? undefined : 'row-muted'} data-testid={`service-type-${type.code}`}>
                    <td>
                      <strong>{english ? type.name.en : type.name.zh}</strong>
                    </td>
                    <td>{t(`roles.${type.ownerRole}`)}</td>
                    <td>{type.needsApproval ? t('services.types.approvalYes') : t('services.types.approvalNo')}</td>
                    <td className="nowrap">
                      {t('services.types.hoursPair', { standard: type.standardHours, priority: type.priorityHours })}
                    </td>
                    <td>
                      <div>{t('services.types.standardList', { list: docList(type.documentsStandard) })}</div>
                      <div className="cell-sub">{t('services.types.reducedList', { list: docList(type.documentsReduced) })}</div>
                    </td>
                    <td>
                      <span className={type.active ? 'badge badge-active' : 'badge badge-disabled'}>
                        {t(type.active ? 'services.types.on' : 'services.types.off')}
                      </span>
                    </td>
                    <td>
                      <div className="task-actions">
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => setEditing(type)}
                          data-testid="service-type-edit"
                        >
                          {t('common.edit')}
                        </button>
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => setProcedureOf(type)}
                          data-testid="service-type-procedure"
                        >
                          {t('procedures.editor.open')}
                        </button>
                        <ActiveToggle type={type} />
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {editing && <EditTypeDialog type={editing} onClose={() => setEditing(null)} />}
      {procedureOf && (
        <ProcedureEditorDialog
          typeCode={procedureOf.code}
          typeName={english ? procedureOf.name.en : procedureOf.name.zh}
          onClose={() => setProcedureOf(null)}
        />
      )}
    </div>
  );
}
