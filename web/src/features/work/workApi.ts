import { useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { Page } from '../../api/types';
import type { Task } from './types';

/** Every task of a case (notes for entitled readers); shared by the work table, the tab's count and the timeline. */
export function useCaseTasks(caseId: string) {
  return useQuery({
    queryKey: ['work', 'case', caseId, 'tasks'],
    queryFn: () => get<Page<Task>>(`/api/v1/cases/${encodeURIComponent(caseId)}/tasks`),
  });
}

/** The answer to completing a task: the task (still open after an unreached contact) and the next one of a duty. */
export interface CompleteResult {
  task: Task;
  next: Task | null;
}

/** The answer to recording a contact on a case: the duties it did and their next ones. */
export interface ContactResult {
  outcome: string;
  completedTasks: Task[];
  nextTasks: Task[];
  forwardedTask: Task | null;
}
