import { z } from '@oo/config';
import type { TodoistTask } from '../todoist/todoist-api.types.js';

/** The `item:*` events oO reads; `event_data` of each is the task (after the change). */
export const ITEM_EVENTS = [
  'item:added',
  'item:updated',
  'item:deleted',
  'item:completed',
  'item:uncompleted',
] as const;

export type ItemEventName = (typeof ITEM_EVENTS)[number];

/** A task as a webhook carries it: the fields `normaliseTask` reads, everything else ignored. */
const taskSchema = z.object({
  id: z.string().min(1),
  content: z.string(),
  priority: z.number(),
  due: z
    .object({
      date: z.string(),
      datetime: z.string().nullish(),
      timezone: z.string().nullish(),
      is_recurring: z.boolean(),
      string: z.string().optional(),
    })
    .nullable(),
  added_at: z.string().nullable().default(null),
  updated_at: z.string().nullish(),
  checked: z.boolean().optional(),
  completed_at: z.string().nullish(),
});

/** Todoist's delivery envelope (ARCHITECTURE.md §12); fields Todoist may add are ignored. */
const webhookSchema = z.object({
  event_name: z.string().min(1),
  user_id: z.union([z.string().min(1), z.number().int().transform(String)]),
  event_data: z.record(z.string(), z.unknown()),
  event_data_extra: z.record(z.string(), z.unknown()).optional(),
  initiator: z.record(z.string(), z.unknown()),
  triggered_at: z.iso.datetime({ offset: true, local: false }),
  version: z.string(),
});

const extraSchema = z.object({
  update_intent: z.string().optional(),
  old_item: taskSchema.optional(),
});

/** A delivery about one task. */
export interface ItemEvent {
  name: ItemEventName;
  todoistUserId: string;
  task: TodoistTask;
  /** `event_data_extra.update_intent` of an `item:updated` (e.g. `item_completed`). */
  updateIntent?: string;
  /** `event_data_extra.old_item`: the task before the update. */
  oldTask?: TodoistTask;
  triggeredAt: Date;
}

/** A delivery oO has no use for (projects, notes, …): acknowledged and ignored. */
export interface OtherEvent {
  name: string;
  todoistUserId: string;
}

export type ParsedWebhook =
  { ok: true; event: ItemEvent | OtherEvent } | { ok: false; reason: string };

export function isItemEvent(event: ItemEvent | OtherEvent): event is ItemEvent {
  return 'task' in event;
}

/**
 * Reads a delivery whose signature has already been verified. A malformed one gives a reason
 * that names the field (never its value: the body holds task text).
 */
export function parseTodoistWebhook(rawBody: Buffer): ParsedWebhook {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const envelope = webhookSchema.safeParse(json);
  if (!envelope.success) return { ok: false, reason: describe(envelope.error) };
  const body = envelope.data;
  const todoistUserId = body.user_id;
  if (!(ITEM_EVENTS as readonly string[]).includes(body.event_name)) {
    return { ok: true, event: { name: body.event_name, todoistUserId } };
  }
  const task = taskSchema.safeParse(body.event_data);
  if (!task.success) return { ok: false, reason: describe(task.error, 'event_data') };
  const extra = extraSchema.safeParse(body.event_data_extra ?? {});
  if (!extra.success) return { ok: false, reason: describe(extra.error, 'event_data_extra') };
  return {
    ok: true,
    event: {
      name: body.event_name as ItemEventName,
      todoistUserId,
      task: task.data,
      ...(extra.data.update_intent !== undefined ? { updateIntent: extra.data.update_intent } : {}),
      ...(extra.data.old_item ? { oldTask: extra.data.old_item } : {}),
      triggeredAt: new Date(body.triggered_at),
    },
  };
}

/** `<field>: <problem>` of the first issue; zod's messages name types, never values. */
function describe(error: z.ZodError, prefix?: string): string {
  const issue = error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || 'body';
  return `${field}: ${issue.message}`;
}
