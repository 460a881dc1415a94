import { describe, expect, it } from 'vitest';
import { byDueDate, openingFilter, tasksOfFilter } from './taskOrder';
import type { Task } from './types';

function task(id: string, dueOn: string, dueState: Task['dueState'], status: Task['status'] = 'open'): Task {
  return {
    id,
    case: { id: 'c', caseNumber: 'CI-1', customerName: '客户' },
    assignee: { id: 's', displayName: null },
    kind: 'contact',
    title: null,
    department: null,
    dueOn,
    dueState,
    status,
    createdAt: '2026-01-01T00:00:00.000Z',
    completedAt: null,
  };
}

describe('the order of work', () => {
  it('should open My work on the overdue tab only when something is overdue, else on what is due, else on everything', () => {
    const today = task('a', '2026-03-02', 'due');
    const later = task('b', '2026-04-01', 'upcoming');
    const late = task('c', '2026-02-20', 'overdue');
    expect(openingFilter([today, later])).toBe('due');
    expect(openingFilter([today, later, late])).toBe('overdue');
    expect(openingFilter([later])).toBe('all');
    expect(openingFilter([])).toBe('all');
    expect(tasksOfFilter([today, later, late], 'due')).toEqual([today]);
    expect(tasksOfFilter([today, later, late], 'all')).toHaveLength(3);
  });

  it('should list open work by due date before finished work', () => {
    const done = task('d', '2026-01-01', null, 'done');
    const soon = task('s', '2026-03-02', 'due');
    const late = task('l', '2026-02-20', 'overdue');
    const later = task('x', '2026-04-01', 'upcoming');
    expect(byDueDate([later, done, soon, late]).map((t) => t.id)).toEqual(['l', 's', 'x', 'd']);
  });
});
