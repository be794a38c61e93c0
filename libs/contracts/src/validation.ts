import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { envelopeSchema, eventSchemas, httpRoutes, rpcSchemas } from './generated/schemas.js';
import type { HttpInputMap, RpcMap } from './generated/types.js';
import type { AnyEnvelope } from './envelope.js';
import { parseSignalSubject, type EventType } from './subjects.js';

export interface ContractViolation {
  /** A JSON path such as `data.features[2]`, or '' for the whole value. */
  field: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; error: ContractViolation };

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
addFormatsModule.default(ajv);

function describe(errors: ErrorObject[] | null | undefined, root: string): ContractViolation {
  const first = errors?.[0];
  if (!first) return { field: root, message: 'is invalid' };
  const missing = first.keyword === 'required' ? `.${String(first.params['missingProperty'])}` : '';
  const extra =
    first.keyword === 'additionalProperties'
      ? `.${String(first.params['additionalProperty'])}`
      : '';
  const path = first.instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
  const field = `${root}${path}${missing}${extra}`.replace(/^\./, '');
  const message =
    first.keyword === 'additionalProperties'
      ? 'is not an allowed field'
      : first.keyword === 'required'
        ? 'is required'
        : (first.message ?? 'is invalid');
  return { field, message };
}

const validateEnvelopeShape = ajv.compile(envelopeSchema);
const eventValidators = new Map<string, ValidateFunction>();
for (const [type, versions] of Object.entries(eventSchemas)) {
  for (const [version, schema] of Object.entries(versions)) {
    eventValidators.set(`${type}@${version}`, ajv.compile(schema));
  }
}

/** Checks an envelope and its `data` against schemas/; `subject`, when given, must agree with it. */
export function validateEnvelope(input: unknown, subject?: string): Validated<AnyEnvelope> {
  if (!validateEnvelopeShape(input))
    return { ok: false, error: describe(validateEnvelopeShape.errors, '') };
  const envelope = input as { type: string; version: number; userId: string; data: unknown };
  const validateData = eventValidators.get(`${envelope.type}@${envelope.version}`);
  if (!validateData) {
    return {
      ok: false,
      error: { field: 'type', message: `unknown event ${envelope.type} v${envelope.version}` },
    };
  }
  if (!validateData(envelope.data))
    return { ok: false, error: describe(validateData.errors, 'data') };
  if (subject !== undefined) {
    const parsed = parseSignalSubject(subject);
    if (!parsed || parsed.type !== envelope.type) {
      return { ok: false, error: { field: 'type', message: `does not match subject ${subject}` } };
    }
    if (parsed.userId !== envelope.userId) {
      return {
        ok: false,
        error: { field: 'userId', message: `does not match subject ${subject}` },
      };
    }
  }
  return { ok: true, value: input };
}

/** Whether `type` names an event type some schema describes. */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventSchemas, type);
}

export type RpcSubject = keyof RpcMap;

const rpcRequestValidators = new Map<string, ValidateFunction>(
  Object.entries(rpcSchemas).map(([subject, { request }]) => [subject, ajv.compile(request)]),
);

/** Checks an RPC request payload against its schema. */
export function validateRpcRequest<S extends RpcSubject>(
  subject: S,
  input: unknown,
): Validated<RpcMap[S]['request']> {
  const validate = rpcRequestValidators.get(subject);
  if (!validate) throw new Error(`No schema for ${subject}`);
  if (!validate(input)) return { ok: false, error: describe(validate.errors, '') };
  return { ok: true, value: input as RpcMap[S]['request'] };
}

export type HttpRoute = keyof HttpInputMap;
/** The parts of a request a route's schemas describe: `query`, and `body` where it takes one. */
export type HttpPart<R extends HttpRoute> = keyof HttpInputMap[R] & ('body' | 'query');

// Queries are validated as they arrive, strings (an array when a parameter repeats): their
// schemas say `string`, and no validator coerces, so what a handler gets is what was sent.
// Compiled on first use: most services serve no HTTP routes and should not pay for them.
const httpValidators = new Map<string, ValidateFunction>();
function httpValidator(route: HttpRoute, part: 'body' | 'query'): ValidateFunction | undefined {
  const key = `${route} ${part}`;
  const cached = httpValidators.get(key);
  if (cached) return cached;
  const schema = (httpRoutes[route] as { body?: object; query: object } | undefined)?.[part];
  if (!schema) return undefined;
  const validate = ajv.compile(schema);
  httpValidators.set(key, validate);
  return validate;
}

/**
 * Checks a request body or query against its schema in schemas/http/. The field of a violation
 * is the JSON path (`quietHours.start`) or the parameter; `body`/`query` when the whole is wrong.
 */
export function validateHttpInput<R extends HttpRoute, P extends HttpPart<R>>(
  route: R,
  part: P,
  input: unknown,
): Validated<HttpInputMap[R][P]> {
  const validate = httpValidator(route, part);
  if (!validate) throw new Error(`No ${part} schema for HTTP route ${route}`);
  if (validate(input)) return { ok: true, value: input as HttpInputMap[R][P] };
  const error = describe(validate.errors, '');
  return { ok: false, error: { ...error, field: error.field || part } };
}
