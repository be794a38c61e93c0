import { readFileSync } from 'node:fs';

/** The version of the terms and privacy notice users accept now; the texts state it too. */
export const CURRENT_TERMS_VERSION = '2026-11-01';

export type LegalDocument = 'terms' | 'privacy';

const texts = new Map<LegalDocument, string>();

/** The Markdown of a document, read once. */
export function legalText(document: LegalDocument): string {
  let text = texts.get(document);
  if (text === undefined) {
    text = readFileSync(new URL(`./${document}.md`, import.meta.url), 'utf8');
    texts.set(document, text);
  }
  return text;
}
