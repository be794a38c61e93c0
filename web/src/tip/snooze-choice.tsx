import { useLayoutEffect, useRef } from 'react';
import { SNOOZE_OPTIONS } from './snooze-options';

interface SnoozeChoiceProps {
  onChoose: (minutes: number) => void;
  onCancel: () => void;
}

/** How long to snooze for; opens with focus on the first choice. */
export function SnoozeChoice({ onChoose, onCancel }: SnoozeChoiceProps) {
  const first = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => first.current?.focus(), []);
  return (
    <div role="group" aria-label="Snooze for" className="actions snooze-choice">
      {SNOOZE_OPTIONS.map((option, index) => (
        <button
          key={option.minutes}
          ref={index === 0 ? first : undefined}
          type="button"
          className="button"
          onClick={() => onChoose(option.minutes)}
        >
          {option.label}
        </button>
      ))}
      <button type="button" className="button quiet-button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
