import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/** Issue 4, P9.1: case threads, meeting minutes, action items, notifications, the e-mail outbox, staff e-mail addresses. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('case_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('author_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('body_enc', 'text', (c) => c.notNull())
    .addColumn('mentions', 'text', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_messages_case_idx').on('case_messages').columns(['case_id', 'id']).execute();
  await db.schema
    .createTable('case_meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('held_at', t.instant, (c) => c.notNull())
    .addColumn('attendees', 'text', (c) => c.notNull())
    .addColumn('minutes_enc', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_meetings_case_idx').on('case_meetings').columns(['case_id', 'held_at']).execute();
  await db.schema
    .createTable('meeting_action_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('case_meetings.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('assignee_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('title_enc', 'text', (c) => c.notNull())
    .addColumn('due_on', t.date, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text')
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meeting_action_items_meeting_idx').on('meeting_action_items').columns(['meeting_id']).execute();
  await db.schema.createIndex('meeting_action_items_assignee_idx').on('meeting_action_items').columns(['assignee_id', 'status']).execute();
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('recipient_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('case_number', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('read_at', t.instant)
    .execute();
  await db.schema.createIndex('notifications_recipient_idx').on('notifications').columns(['recipient_id', 'read_at', 'id']).execute();
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.instant, (c) => c.notNull())
    .addColumn('lease_until', t.instant)
    .addColumn('last_error', 'text')
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('sent_at', t.instant)
    .execute();
  await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema
    .createTable('staff_contacts')
    .addColumn('staff_id', 'text', (c) => c.primaryKey().references('staff.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['staff_contacts', 'outbox', 'notifications', 'meeting_action_items', 'case_meetings', 'case_messages']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
