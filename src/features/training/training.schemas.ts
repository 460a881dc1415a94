import { z } from 'zod';
import { isoDate, pageQuery, text } from '../../platform/http/text.js';
import { COURSE_KINDS } from './training.rules.js';

const id = z.string().min(1).max(64);

export const CourseIdParams = z.strictObject({ id });

export const CourseBody = z.strictObject({
  title: text({ min: 1, max: 200 }),
  kind: z.enum(COURSE_KINDS),
  heldOn: isoDate,
  hours: z
    .number()
    .positive()
    .max(200)
    .refine((h) => Math.abs(h * 10 - Math.round(h * 10)) < 1e-9, 'at most one decimal'),
  provider: text({ min: 1, max: 200 }).optional(),
});

export const CourseView = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(COURSE_KINDS),
  heldOn: z.string(),
  hours: z.number(),
  provider: z.string().nullable(),
  branchId: z.string(),
  attendeeCount: z.number().int(),
  createdAt: z.string(),
});
export const CourseDetail = CourseView.extend({
  attendees: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string(), branchId: z.string() })),
});
export const CourseListQuery = pageQuery;
export const CourseListResponse = z.object({ items: z.array(CourseView), nextCursor: z.string().nullable() });

export const AttendanceBody = z.strictObject({ staffIds: z.array(id).min(1).max(500) });
export const AttendanceResponse = z.object({ courseId: z.string(), added: z.array(z.string()), attendeeCount: z.number().int() });

export const ReportRow = z.object({
  staffId: z.string(),
  username: z.string(),
  displayName: z.string(),
  branchId: z.string(),
  branchCode: z.string(),
  roles: z.array(z.string()),
  courses: z.number().int(),
  hours: z.number(),
  hoursMet: z.boolean(),
  lastIllnessKnowledgeOn: z.string().nullable(),
  illnessKnowledgeOverdue: z.boolean(),
  /** P7.3.2: the last risk and compliance course in the window, and whether it is missing (none in the last 12 months). */
  lastRiskComplianceOn: z.string().nullable(),
  riskComplianceOverdue: z.boolean(),
  status: z.enum(['trained', 'overdue']),
});
const Tally = z.object({ key: z.string(), trained: z.number().int(), overdue: z.number().int(), riskComplianceOverdue: z.number().int() });
export const ReportResponse = z.object({
  asOf: z.string(),
  windowFrom: z.string(),
  hoursPerYear: z.number(),
  items: z.array(ReportRow),
  byBranch: z.array(Tally),
  byRole: z.array(Tally),
});
