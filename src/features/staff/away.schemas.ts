import { z } from 'zod';
import { Id, isoDate, text } from '../../platform/http/text.js';

export const AwayStaffParams = z.strictObject({ id: Id });

export const AwayBody = z.strictObject({
  from: isoDate,
  until: isoDate,
  note: text({ min: 1, max: 200 }).optional(),
});

export const AwayView = z.object({
  staffId: z.string(),
  away: z.object({ from: z.string(), until: z.string(), note: z.string().nullable(), awayToday: z.boolean() }).nullable(),
});
