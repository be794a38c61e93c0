import document from './generated/openapi.json' with { type: 'json' };

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from schemas/http/ with the validators
 * (`npm run contracts:generate`). Without `servers`: whoever serves it knows its public URL.
 */
export const openApiDocument: Readonly<Record<string, unknown>> = document;
