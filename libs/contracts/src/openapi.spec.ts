import { openApiDocument } from './openapi.js';

type Node = Record<string, unknown>;
interface Operation {
  requestBody?: { content: Node };
  responses: Node;
}

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' ? [value] : refsIn(value),
  );
}

function resolve(pointer: string): unknown {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Node | undefined)?.[key], openApiDocument);
}

const operations = Object.values(openApiDocument['paths'] as Record<string, Node>).flatMap(
  (path) => Object.values(path) as Operation[],
);

describe('the generated OpenAPI document', () => {
  it('has every $ref resolve inside the document', () => {
    const refs = [...new Set(refsIn(openApiDocument))];
    expect(refs.length).toBeGreaterThan(10);
    expect(refs.filter((ref) => !ref.startsWith('#/') || resolve(ref) === undefined)).toEqual([]);
  });

  it('takes request bodies as application/json only, with the 415 documented', () => {
    const withBody = operations.filter((operation) => operation.requestBody);
    expect(withBody.length).toBeGreaterThan(0);
    for (const operation of withBody) {
      expect(Object.keys(operation.requestBody!.content)).toEqual(['application/json']);
      expect(operation.responses['415']).toEqual({
        $ref: '#/components/responses/UnsupportedMediaType',
      });
    }
  });

  it('documents the 400 of a bad body or query on every route', () => {
    for (const operation of operations) {
      expect(operation.responses['400']).toEqual({ $ref: '#/components/responses/InvalidRequest' });
    }
  });
});
