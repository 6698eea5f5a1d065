/**
 * Words for an ingest that could not write its case. A full disk or a file size limit surfaces
 * from SQLite as "database or disk is full" (ENOSPC) or "disk I/O error" (EFBIG and other write
 * failures); either way the case keeps every line committed before, and can resume.
 */
const diskFull = /database or disk is full|SQLITE_FULL|ENOSPC|EFBIG|file too large|disk I\/O error|SQLITE_IOERR/i

export function describeIngestFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  if (!diskFull.test(message)) return message
  return `Could not write the case: the disk is full or a file size limit was reached (${message}). The lines committed before it are kept; free some space and reopen the case to go on.`
}
