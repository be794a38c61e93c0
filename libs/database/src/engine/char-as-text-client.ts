import pg from 'pg';

/** Postgres' internal one-byte `"char"` type, used by catalog columns such as pg_class.relkind. */
const INTERNAL_CHAR_OID = 18;
const TEXT_OID = 25;

type QueryResultLike = { fields?: { dataTypeID: number }[] };

/**
 * @prisma/adapter-pg rejects result columns of type `"char"` (UnsupportedNativeDataType),
 * and the schema engine's catalog queries return some, so introspecting a live database
 * through the adapter fails. pg already returns those values as strings, so relabelling the
 * column as text is enough. Only the schema engine's connections use this client.
 */
export class CharAsTextClient extends pg.Client {
  // pg.Client.query has many overloads; this forwards all of them and patches the result.
  override query(...args: unknown[]): never {
    const last = args.at(-1);
    if (typeof last === 'function') {
      const callback = last as (error: Error | null, result: unknown) => void;
      args[args.length - 1] = (error: Error | null, result: unknown) =>
        callback(error, error ? result : relabel(result));
      return (super.query as (...a: unknown[]) => unknown)(...args) as never;
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    return (out instanceof Promise ? out.then(relabel) : out) as never;
  }
}

function relabel(result: unknown): unknown {
  for (const single of Array.isArray(result) ? result : [result]) {
    for (const field of (single as QueryResultLike | undefined)?.fields ?? []) {
      if (field.dataTypeID === INTERNAL_CHAR_OID) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}
