import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { get } from '../../api/client';
import type { Page } from '../../api/types';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatDay, formatInstant, formatMinor } from '../../i18n/format';
import { useFieldLabel } from '../cases/CaseBits';
import { requestLink } from '../services/api';
import { useServiceTypeName } from '../services/ServiceBits';
import type { Task, TimelineItem } from './types';
import { useCaseTasks } from './workApi';

/** A timeline item's details in words: changed fields, the outcome, or the task it is about. */
function useTimelineSummary(tasks: readonly Task[]) {
  const { t, i18n } = useTranslation();
  const fieldLabel = useFieldLabel();
  const serviceName = useServiceTypeName();
  const byId = new Map(tasks.map((task) => [task.id, task]));
  // The risk entries carry data: the review date, the sensitivity level, or `current → new CUR` in minor units.
  const riskSummary = (kind: string, summary: string) => {
    if (kind === 'risk.assessed') return formatDay(summary, i18n.language);
    if (kind === 'risk.monitoring_set') return t(`risk.sensitivity.${summary}`, { defaultValue: summary });
    const m = /^(\d+) → (\d+) ([A-Z]{3})$/.exec(summary);
    if (!m) return summary;
    const [, from = '0', to = '0', currency = 'CNY'] = m;
    return `${formatMinor(Number(from), currency, i18n.language)} → ${formatMinor(Number(to), currency, i18n.language)}`;
  };
  return (item: TimelineItem) => {
    if (item.kind.startsWith('risk.')) return riskSummary(item.kind, item.summary);
    // A service's entry carries its type's code: the catalogue names it in the reader's language.
    if (item.ref.type === 'service_request') return serviceName(item.summary);
    if (item.ref.type === 'case') return item.summary.split(', ').filter(Boolean).map(fieldLabel).join('、');
    if (item.ref.type === 'interaction') return t(`work.outcome.${item.summary}`, { defaultValue: item.summary });
    const task = byId.get(item.ref.id);
    if (!task) return item.summary;
    return [
      t(`work.kind.${task.kind}`),
      task.title,
      task.department ? t(`work.department.${task.department}`) : null,
      task.assignee.displayName,
      item.kind === 'task.created' ? task.dueOn : null,
    ]
      .filter((part) => part)
      .join(' · ');
  };
}

/** A timeline kind in words: `case.registered`, `interaction.call`, `task.completed`. */
function useTimelineKind() {
  const { t } = useTranslation();
  return (kind: string) => {
    const [group = '', rest = ''] = kind.split('.');
    if (group === 'case') return t(`cases.action.${rest}`, { defaultValue: rest });
    if (group === 'interaction') return t(`work.interactionKind.${rest}`, { defaultValue: rest });
    if (group === 'service') return t(`services.timeline.${rest}`, { defaultValue: t('services.timeline.other') });
    if (group === 'risk') return t(`risk.timeline.${rest}`, { defaultValue: t('risk.title') });
    return t(`work.timeline.${rest}`, { defaultValue: kind });
  };
}

/** The timeline of everything on the case: its file's events, contacts and tasks, in order. */
export function CaseTimeline({ caseId, reason }: { caseId: string; reason?: string | null }) {
  const { t, i18n } = useTranslation();
  const timelineKind = useTimelineKind();
  const tasks = useCaseTasks(caseId);
  const timeline = useQuery({
    queryKey: ['work', 'case', caseId, 'timeline', reason ?? null],
    queryFn: () =>
      get<Page<TimelineItem> & { sensitiveVisible: boolean }>(
        `/api/v1/cases/${encodeURIComponent(caseId)}/timeline?limit=500${reason ? `&reason=${encodeURIComponent(reason)}` : ''}`,
      ),
  });
  const summary = useTimelineSummary(tasks.data?.items ?? []);
  const items = timeline.data?.items ?? [];
  return (
    <section className="card card-flush" data-testid="case-section-timeline" aria-labelledby="case-timeline">
      <h2 id="case-timeline" className="card-title">
        {t('work.timeline.title')}
        {timeline.data && <span className="count">{t('common.count', { count: items.length })}</span>}
      </h2>
      <ErrorNotice error={timeline.error} />
      {timeline.isPending ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty>{t('work.timeline.empty')}</Empty>
      ) : (
        <div className="table-scroll">
          <table className="table table-dense">
            <thead>
              <tr>
                <th scope="col">{t('audit.field.occurredAt')}</th>
                <th scope="col">{t('audit.field.actor')}</th>
                <th scope="col">{t('work.timeline.what')}</th>
                <th scope="col">{t('work.timeline.summary')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={`${item.ref.type}-${item.ref.id}-${item.kind}-${item.at}`}>
                  <td className="nowrap">{formatInstant(item.at, i18n.language)}</td>
                  <td>{item.actor?.displayName ?? t('leads.system')}</td>
                  <td>{timelineKind(item.kind)}</td>
                  <td className="history-detail">
                    {item.ref.type === 'service_request' ? <Link to={requestLink(item.ref.id)}>{summary(item)}</Link> : summary(item)}
                    {item.text ? <div className="timeline-text">{item.text}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
