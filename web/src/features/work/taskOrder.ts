import type { Task } from './types';

/** The open tasks first, each group by due date: what is due soonest comes first. */
export function byDueDate(tasks: readonly Task[]): Task[] {
  const rank = (task: Task) => (task.status === 'open' ? 0 : 1);
  return [...tasks].sort((a, b) => rank(a) - rank(b) || a.dueOn.localeCompare(b.dueOn) || a.id.localeCompare(b.id));
}

/** The tabs of "My work": overdue, due (today and the next days), every open task. */
export const WORK_FILTERS = ['overdue', 'due', 'all'] as const;
export type WorkFilter = (typeof WORK_FILTERS)[number];

/** The open tasks a tab of "My work" shows. */
export function tasksOfFilter(tasks: readonly Task[], filter: WorkFilter): Task[] {
  return filter === 'all' ? [...tasks] : tasks.filter((task) => task.dueState === filter);
}

/** The tab "My work" opens on: the first with something to do now (overdue, then due), else every open task. */
export function openingFilter(tasks: readonly Task[]): WorkFilter {
  if (tasks.some((task) => task.dueState === 'overdue')) return 'overdue';
  if (tasks.some((task) => task.dueState === 'due')) return 'due';
  return 'all';
}
