import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EChartsCoreOption } from 'echarts/core';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import type { Page } from '../../api/types';
import { hasPermission } from '../../app/access';
import { useBranchName } from '../../app/branches';
import { useSignedIn } from '../../auth/session';
import { EChart } from '../../components/EChart';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { type Colleague, findColleagues } from '../communication/api';

const KINDS = [
  'illness_knowledge',
  'communication',
  'policy',
  'medical_expert_lecture',
  'psychologist_lecture',
  'external',
  'risk_compliance',
] as const;
type Kind = (typeof KINDS)[number];

interface Course {
  id: string;
  title: string;
  kind: Kind;
  heldOn: string;
  hours: number;
  provider: string | null;
  branchId: string;
  attendeeCount: number;
}
interface Tally {
  key: string;
  trained: number;
  overdue: number;
}
interface Report {
  asOf: string;
  windowFrom: string;
  hoursPerYear: number;
  items: {
    staffId: string;
    displayName: string;
    branchCode: string;
    roles: string[];
    courses: number;
    hours: number;
    hoursMet: boolean;
    lastIllnessKnowledgeOn: string | null;
    illnessKnowledgeOverdue: boolean;
    lastRiskComplianceOn: string | null;
    riskComplianceOverdue: boolean;
    status: 'trained' | 'overdue';
  }[];
  byBranch: Tally[];
  byRole: Tally[];
}

/** P3.3: the courses, recording attendance, and who is trained or overdue. */
export function TrainingPage() {
  const { t } = useTranslation();
  const { user } = useSignedIn();
  const manage = hasPermission(user.roles, 'training.manage');
  const [attendanceFor, setAttendanceFor] = useState<Course | null>(null);
  const courses = useQuery({ queryKey: ['training', 'courses'], queryFn: () => get<Page<Course>>('/api/v1/training/courses?limit=500') });
  const items = courses.data?.items ?? [];

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('training.title')}</h1>
          <p className="page-sub">{t('training.intro')}</p>
        </div>
      </header>
      {manage && <NewCourse />}
      <section className="card card-flush" aria-labelledby="training-courses">
        <h2 id="training-courses" className="card-title">
          {t('training.courses')}
        </h2>
        {courses.isPending && <Loading />}
        <ErrorNotice error={courses.error} />
        {courses.data && items.length === 0 && <Empty>{t('training.noCourses')}</Empty>}
        {items.length > 0 && (
          <table className="table table-dense" data-testid="training-courses">
            <thead>
              <tr>
                <th scope="col">{t('training.field.heldOn')}</th>
                <th scope="col">{t('training.field.title')}</th>
                <th scope="col">{t('training.field.kind')}</th>
                <th scope="col" className="num">
                  {t('training.field.hours')}
                </th>
                <th scope="col" className="num">
                  {t('training.field.attendees')}
                </th>
                {manage && <th scope="col" />}
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <td className="nowrap">{c.heldOn}</td>
                  <td>
                    {c.title}
                    {c.provider && <span className="cell-sub">{c.provider}</span>}
                  </td>
                  <td>{t(`training.kind.${c.kind}`)}</td>
                  <td className="num">{c.hours}</td>
                  <td className="num">{c.attendeeCount}</td>
                  {manage && (
                    <td>
                      <button type="button" className="link-button" onClick={() => setAttendanceFor(c)}>
                        {t('training.recordAttendance')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {attendanceFor && <Attendance course={attendanceFor} onDone={() => setAttendanceFor(null)} />}
      <TrainingReport />
    </div>
  );
}

function NewCourse() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<Kind>('illness_knowledge');
  const [heldOn, setHeldOn] = useState('');
  const [hours, setHours] = useState('2');
  const [provider, setProvider] = useState('');
  const create = useMutation({
    mutationFn: () =>
      post<Course>('/api/v1/training/courses', { title, kind, heldOn, hours: Number(hours), ...(provider.trim() ? { provider } : {}) }),
    onSuccess: () => {
      setTitle('');
      setProvider('');
      void queryClient.invalidateQueries({ queryKey: ['training'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section className="card" aria-labelledby="training-new">
      <h2 id="training-new" className="card-title">
        {t('training.newCourse')}
      </h2>
      <form className="form filter-grid" onSubmit={submit}>
        <Field label={t('training.field.title')} required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
        <div className="field">
          <label>
            {t('training.field.kind')}
            <select value={kind} onChange={(e) => setKind(KINDS.find((k) => k === e.target.value) ?? 'illness_knowledge')}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`training.kind.${k}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <Field label={t('training.field.heldOn')} type="date" required value={heldOn} onChange={(e) => setHeldOn(e.target.value)} />
        <Field
          label={t('training.field.hours')}
          type="number"
          min={0.1}
          max={200}
          step={0.1}
          required
          value={hours}
          onChange={(e) => setHours(e.target.value)}
        />
        <Field label={t('training.field.provider')} maxLength={200} value={provider} onChange={(e) => setProvider(e.target.value)} />
        <ErrorNotice error={create.error} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={create.isPending} data-testid="training-create">
            {t('common.save')}
          </button>
        </div>
      </form>
    </section>
  );
}

function Attendance({ course, onDone }: { course: Course; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<string[]>([]);
  const { user } = useSignedIn();
  // Admins record any branch's staff and have no colleague list; they pick from the staff directory.
  const admin = hasPermission(user.roles, 'staff.admin');
  const colleagues = useQuery({
    queryKey: ['colleagues', 'all', admin],
    queryFn: async () => (admin ? (await get<Page<Colleague>>('/api/v1/admin/staff?limit=500')).items : findColleagues('')),
  });
  const save = useMutation({
    mutationFn: () => post(`/api/v1/training/courses/${course.id}/attendance`, { staffIds: picked }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['training'] });
      onDone();
    },
  });
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  return (
    <section className="card" aria-labelledby="training-attendance">
      <h2 id="training-attendance" className="card-title">
        {t('training.attendanceFor', { title: course.title })}
      </h2>
      {colleagues.isPending && <Loading />}
      <ErrorNotice error={colleagues.error} />
      <div className="checkbox-grid">
        {(colleagues.data ?? []).map((c) => (
          <label key={c.id} className="checkbox">
            <input type="checkbox" checked={picked.includes(c.id)} onChange={() => toggle(c.id)} />
            {c.displayName}
          </label>
        ))}
      </div>
      <ErrorNotice error={save.error} />
      <div className="form-actions">
        <button type="button" className="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={picked.length === 0 || save.isPending}
          onClick={() => save.mutate()}
          data-testid="training-attendance-save"
        >
          {t('common.save')}
        </button>
      </div>
    </section>
  );
}

function TrainingReport() {
  const { t } = useTranslation();
  const branchName = useBranchName();
  const [by, setBy] = useState<'branch' | 'role'>('branch');
  const report = useQuery({ queryKey: ['training', 'report'], queryFn: () => get<Report>('/api/v1/training/report') });
  const tallies = by === 'branch' ? (report.data?.byBranch ?? []) : (report.data?.byRole ?? []);
  const option = useMemo<EChartsCoreOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, bottom: 40, top: 40 },
      xAxis: { type: 'category', data: tallies.map((x) => (by === 'role' ? t(`roles.${x.key}`) : x.key)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('training.status.trained'), type: 'bar', stack: 'all', data: tallies.map((x) => x.trained) },
        { name: t('training.status.overdue'), type: 'bar', stack: 'all', data: tallies.map((x) => x.overdue) },
      ],
    }),
    [tallies, by, t],
  );
  const rows = report.data?.items ?? [];
  return (
    <section className="card card-flush" aria-labelledby="training-report">
      <div className="title-row">
        <h2 id="training-report" className="card-title">
          {t('training.report')}
        </h2>
        <div className="segmented">
          <button
            type="button"
            className={by === 'branch' ? 'button button-small button-primary' : 'button button-small'}
            onClick={() => setBy('branch')}
          >
            {t('training.byBranch')}
          </button>
          <button
            type="button"
            className={by === 'role' ? 'button button-small button-primary' : 'button button-small'}
            onClick={() => setBy('role')}
          >
            {t('training.byRole')}
          </button>
        </div>
      </div>
      {report.isPending && <Loading />}
      <ErrorNotice error={report.error} />
      {report.data && (
        <>
          <p className="page-sub">
            {t('training.rule', { hours: report.data.hoursPerYear, from: report.data.windowFrom, to: report.data.asOf })}
          </p>
          <p className="page-sub">{t('training.riskComplianceRule', { from: report.data.windowFrom, to: report.data.asOf })}</p>
          {tallies.length > 0 && <EChart option={option} label={t('training.chartLabel')} />}
          {rows.length === 0 ? (
            <Empty>{t('training.noStaff')}</Empty>
          ) : (
            <table className="table table-dense" data-testid="training-report">
              <thead>
                <tr>
                  <th scope="col">{t('training.field.staff')}</th>
                  <th scope="col">{t('training.field.branch')}</th>
                  <th scope="col" className="num">
                    {t('training.field.courses')}
                  </th>
                  <th scope="col" className="num">
                    {t('training.field.hours')}
                  </th>
                  <th scope="col">{t('training.field.lastIllness')}</th>
                  <th scope="col">{t('training.field.riskCompliance')}</th>
                  <th scope="col">{t('training.field.status')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.staffId} className={r.status === 'overdue' ? 'row-overdue' : undefined}>
                    <td>{r.displayName}</td>
                    <td>{branchName(r.branchCode)}</td>
                    <td className="num">{r.courses}</td>
                    <td className="num">{r.hours}</td>
                    <td>{r.lastIllnessKnowledgeOn ?? t('common.none')}</td>
                    <td data-testid="risk-compliance">
                      {r.riskComplianceOverdue ? (
                        <span className="badge badge-overdue">{t('training.riskComplianceMissing')}</span>
                      ) : (
                        r.lastRiskComplianceOn
                      )}
                    </td>
                    <td>
                      <span className={r.status === 'overdue' ? 'badge badge-overdue' : 'badge badge-success'}>
                        {t(`training.status.${r.status}`)}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
