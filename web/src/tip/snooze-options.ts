export interface SnoozeOption {
  label: string;
  minutes: number;
  /** What the status region says once it is done. */
  outcome: string;
}

/** The snooze choice's buttons, in order. */
export const SNOOZE_OPTIONS: readonly SnoozeOption[] = [
  { label: '1 hour', minutes: 60, outcome: 'Snoozed for 1 hour.' },
  { label: '3 hours', minutes: 180, outcome: 'Snoozed for 3 hours.' },
  { label: 'Until tomorrow', minutes: 1440, outcome: 'Snoozed until tomorrow.' },
];
