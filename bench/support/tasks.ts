/** Task lists as people write them, for the benches that need a user's open tasks. */
import type { TaskInput } from '@oo/local-todoist';

const PHRASES = [
  'Reply to Anna about the quarterly budget review',
  'Book the car in for its winter tyres',
  'Draft the onboarding checklist for the new designer',
  'Call the dentist to move Thursday’s appointment',
  'Renew the domain before it lapses',
  'Read the incident report and leave comments',
  'Buy a birthday present for Tom',
  'Send the signed lease back to the agency',
];

/** ~40–75 characters each, a third dated, mixed priorities. */
export function realisticTasks(count: number): TaskInput[] {
  return Array.from({ length: count }, (_, i) => ({
    content: `${PHRASES[i % PHRASES.length]} (${i + 1})`,
    priority: (i % 4) + 1,
    ...(i % 3 === 0 ? { dueDate: `2026-12-${String((i % 28) + 1).padStart(2, '0')}` } : {}),
  }));
}
