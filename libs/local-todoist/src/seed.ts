import type { TaskInput, UserInput } from './types.js';

function isoDate(offsetDays: number, now: Date): string {
  const date = new Date(now);
  date.setUTCDate(date.getUTCDate() + offsetDays);
  return date.toISOString().slice(0, 10);
}

export const DEMO_USER: UserInput = {
  id: '41250931',
  email: 'demo@example.com',
  fullName: 'Demo Person',
  timezone: 'Europe/Paris',
};

/**
 * What a newcomer's Todoist might hold: some overdue, some today, a few recurring habits,
 * timed tasks both floating and pinned to a zone, labels and all four priorities.
 */
export function demoTasks(now = new Date()): TaskInput[] {
  const day = (offset: number) => isoDate(offset, now);
  return [
    { content: 'Pay the electricity bill', priority: 4, dueDate: day(-2), labels: ['home'] },
    { content: 'Reply to Sam about the offsite', priority: 3, dueDate: day(-1), labels: ['work'] },
    {
      content: 'Book a dentist appointment',
      priority: 2,
      dueDate: day(-5),
      labels: ['health', 'phone'],
    },
    {
      content: 'Review the quarterly report draft',
      priority: 4,
      dueDate: day(0),
      labels: ['work'],
    },
    {
      content: 'Call mum',
      priority: 3,
      dueDate: `${day(0)}T18:30:00`,
      dueString: 'today at 18:30',
      labels: ['phone'],
    },
    {
      content: 'Stand-up with the Berlin team',
      priority: 2,
      dueDate: `${day(0)}T08:00:00Z`,
      dueTimezone: 'Europe/Berlin',
      dueString: 'every day at 9:00',
      labels: ['work'],
    },
    {
      content: 'Water the plants',
      priority: 1,
      dueDate: day(0),
      dueString: 'every 3 days',
      labels: ['home'],
    },
    {
      content: 'Take vitamins',
      priority: 1,
      dueDate: day(0),
      dueString: 'every day',
      labels: ['health'],
    },
    {
      content: 'Weekly review',
      priority: 3,
      dueDate: day(2),
      dueString: 'every week',
      description: 'Inbox zero, look at next week, pick three priorities.',
    },
    { content: 'Buy oat milk and coffee', priority: 1, dueDate: day(0), labels: ['errands'] },
    {
      content: 'Renew passport',
      priority: 3,
      dueDate: day(10),
      labels: ['errands'],
      description: 'Photos first; the form is online.',
    },
    {
      content: 'Prepare slides for Thursday',
      priority: 4,
      dueDate: `${day(1)}T14:00:00Z`,
      dueTimezone: 'America/New_York',
      labels: ['work'],
    },
    { content: 'Clean out the fridge', priority: 1, dueDate: day(1), labels: ['home'] },
    { content: 'Read "Deep Work" chapter 3', priority: 1, labels: ['reading'] },
    { content: 'Plan the weekend hike', priority: 2, dueDate: day(4), labels: ['fun'] },
    { content: 'Fix the squeaky door', priority: 1, labels: ['home'] },
    {
      content: 'Submit expense report',
      priority: 3,
      dueDate: `${day(-1)}T17:00:00`,
      dueString: 'yesterday at 17:00',
      labels: ['work'],
    },
    { content: 'Stretch for 10 minutes', priority: 1, dueString: 'every day', dueDate: day(0) },
    { content: 'Send birthday card to Alex', priority: 2, dueDate: day(3), labels: ['errands'] },
    { content: 'Learn 10 Spanish words', priority: 1, dueDate: day(0), dueString: 'every day' },
  ];
}
