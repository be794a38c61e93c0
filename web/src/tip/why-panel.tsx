import type { TipWhy } from '@oo/contracts';

/** The model's reasons for this tip, in its own words (shown by "Why this tip?"). */
export function WhyPanel({ id, why }: { id: string; why: TipWhy }) {
  return (
    <section id={id} aria-label="Why this tip" className="why">
      <p>{why.summary}</p>
      {why.reasons.length > 0 && (
        <ul>
          {why.reasons.map((reason) => (
            <li key={reason.term}>{reason.text}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
