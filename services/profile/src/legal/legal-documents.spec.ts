import { CURRENT_TERMS_VERSION, legalText } from './legal-documents.js';

describe('legal documents', () => {
  it.each(['terms', 'privacy'] as const)('the %s text states the current version', (document) => {
    expect(legalText(document)).toContain(`Version ${CURRENT_TERMS_VERSION}.`);
  });
});
