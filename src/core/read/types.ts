/** One physical line of a log file. */
export interface Line {
  /** 1-based line number in the decoded stream. */
  readonly lineNo: number
  /** Byte offset of the line start in the (decompressed) byte stream. */
  readonly offset: number
  /** Decoded text without the line terminator; truncated with a marker when over the limit. */
  readonly text: string
  /** Length in bytes of the line as stored, terminator excluded (set even when truncated). */
  readonly byteLength: number
  readonly truncated: boolean
}

/** A logical record: a start line plus the continuation lines grouped under it. */
export interface LogRecord {
  readonly head: Line
  readonly continuation: readonly Line[]
}

export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be'
export type Compression = 'none' | 'gzip' | 'zstd'
