import pg from 'pg';

/**
 * Tables of these schemas holding any row whose text mentions the user id: after a deletion,
 * none may. Every column counts (a row's whole text), so a copy of the id anywhere is found.
 */
export async function tablesMentioning(
  databaseUrl: string,
  schemas: readonly string[],
  userId: string,
): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables
       WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE'`,
      [schemas],
    );
    const found: string[] = [];
    for (const { table_schema: schema, table_name: table } of tables.rows) {
      const { rows } = await client.query<{ count: string }>(
        `SELECT count(*) FROM "${schema}"."${table}" t WHERE t::text LIKE $1`,
        [`%${userId}%`],
      );
      if (Number(rows[0]!.count) > 0) found.push(`${schema}.${table}`);
    }
    return found;
  } finally {
    await client.end();
  }
}
