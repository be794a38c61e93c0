import { createHash } from 'node:crypto';

/** Prisma's checksum of a migration script: lowercase hex SHA-256 of its UTF-8 text. */
export function migrationChecksum(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

/**
 * Whether a script still matches the checksum recorded when it was applied. Like Prisma,
 * a change of line endings alone (git on Windows) is not an edit.
 */
export function matchesChecksum(script: string, recorded: string): boolean {
  const variants = [
    script,
    script.replaceAll('\r\n', '\n'),
    script.replaceAll('\r\n', '\n').replaceAll('\n', '\r\n'),
  ];
  return variants.some((variant) => migrationChecksum(variant) === recorded);
}
