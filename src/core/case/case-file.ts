/**
 * Opening and creating case files. A file that is not a case, comes from a newer Faultline, or
 * is not a database at all is refused before anything is written to it (see store/sqlite.ts).
 */
import { existsSync } from 'node:fs'
import { openVersioned, SchemaError } from '../store/sqlite.ts'
import type { Db } from '../store/sqlite.ts'
import { caseSchema } from './case-schema.ts'

export { caseExtension } from '../../shared/case/case-file-name.ts'

export interface CaseFile {
  readonly path: string
  readonly db: Db
  close(): void
}

export function createCaseFile(path: string): CaseFile {
  if (existsSync(path)) throw new SchemaError(`${path} already exists; open it or choose another name`)
  return { path, db: openVersioned(path, caseSchema), close() { this.db.close() } }
}

export function openCaseFile(path: string): CaseFile {
  if (!existsSync(path)) throw new SchemaError(`No case file at ${path}`)
  return { path, db: openVersioned(path, caseSchema), close() { this.db.close() } }
}
