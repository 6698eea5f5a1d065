/**
 * The case file: one SQLite file per investigation, self-contained so it can be handed to a
 * colleague. Lines are stored in blocks (a text blob plus packed per-line columns) rather than a
 * row per line: measured here, a row per line with its text tops out near 250,000 rows/s,
 * while blocks of 1,024 lines write at disk speed. The text is stored (not read back from the
 * source by offset) so gzipped sources, deleted sources and shared cases all still open; it costs
 * about the source's size. Scores live beside the blocks so a re-score rewrites only them.
 */
import type { Schema } from '../store/sqlite.ts'

export const caseSchema: Schema = {
  app: 'faultline-case',
  // An ingest writes every page twice (to the WAL, then the file), and SQLite makes a system call
  // or two per page: with 4 KB pages that was ~200,000 calls per million lines, and the commit
  // thread spent more time in the kernel than in SQLite. 16 KB pages: its CPU 1.23-1.48 s ->
  // 0.86-0.92 s per 1M lines, for a case the same size (see the block_scores migration).
  pageSize: 16_384,
  migrations: [
    (db) =>
      db.exec(`
        CREATE TABLE sources (
          id INTEGER PRIMARY KEY,
          path TEXT NOT NULL,
          name TEXT NOT NULL,
          size INTEGER NOT NULL,
          mtime_ms REAL,
          sha256 TEXT,
          format TEXT,
          encoding TEXT,
          compression TEXT,
          state TEXT NOT NULL CHECK (state IN ('ingesting', 'complete', 'partial', 'cancelled', 'failed')),
          lines INTEGER NOT NULL DEFAULT 0,
          bytes_read INTEGER NOT NULL DEFAULT 0,
          started_at REAL,
          finished_at REAL,
          error TEXT
        );
        CREATE TABLE blocks (
          id INTEGER PRIMARY KEY,
          source_id INTEGER NOT NULL REFERENCES sources(id),
          block_no INTEGER NOT NULL,
          first_line INTEGER NOT NULL,
          line_count INTEGER NOT NULL,
          min_ts REAL,
          max_ts REAL,
          columns BLOB NOT NULL,
          -- Last, so reading the columns never walks the text's overflow pages.
          text BLOB NOT NULL,
          UNIQUE (source_id, block_no),
          UNIQUE (source_id, first_line)
        );
        CREATE TABLE block_scores (
          source_id INTEGER NOT NULL REFERENCES sources(id),
          block_no INTEGER NOT NULL,
          scores BLOB NOT NULL,
          PRIMARY KEY (source_id, block_no)
        ) WITHOUT ROWID;
        CREATE TABLE anomalies (
          source_id INTEGER NOT NULL REFERENCES sources(id),
          line_no INTEGER NOT NULL,
          score REAL NOT NULL,
          template_id INTEGER,
          reasons TEXT NOT NULL,
          PRIMARY KEY (source_id, line_no)
        ) WITHOUT ROWID;
        CREATE TABLE templates (
          id INTEGER PRIMARY KEY,
          canonical_id INTEGER NOT NULL,
          text TEXT NOT NULL,
          count INTEGER NOT NULL DEFAULT 0,
          first_ts REAL,
          last_ts REAL,
          baseline_count INTEGER,
          score REAL
        );
        CREATE TABLE sessions (
          id INTEGER PRIMARY KEY,
          key TEXT NOT NULL UNIQUE,
          first_line INTEGER NOT NULL,
          last_line INTEGER NOT NULL,
          lines INTEGER NOT NULL,
          score REAL,
          anomaly INTEGER NOT NULL DEFAULT 0,
          reasons TEXT
        );
        CREATE TABLE marks (
          id INTEGER PRIMARY KEY,
          source_id INTEGER REFERENCES sources(id),
          line_no INTEGER,
          template_id INTEGER,
          kind TEXT NOT NULL CHECK (kind IN ('bookmark', 'normal', 'note')),
          note TEXT,
          created_at REAL NOT NULL
        );
        CREATE INDEX marks_by_line ON marks (source_id, line_no);
        CREATE TABLE models (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          created_at REAL NOT NULL,
          active INTEGER NOT NULL DEFAULT 0,
          snapshot TEXT NOT NULL
        );
        CREATE TABLE miner_state (id INTEGER PRIMARY KEY CHECK (id = 1), snapshot TEXT NOT NULL);
      `),
    // The detected layout as JSON, so a resumed ingest splits lines exactly as the first run did
    // (`format` keeps the human-readable description).
    (db) => db.exec(`ALTER TABLE sources ADD COLUMN format_spec TEXT`),
    // The text index (text-index.ts): per block, a bitmap of the character trigrams in its
    // lower-cased text, built in the background after the ingest. A row per block is also its
    // build state: `line_count` tells a tail block that has grown since from one indexed whole.
    (db) =>
      db.exec(`
        CREATE TABLE text_grams (
          source_id INTEGER NOT NULL REFERENCES sources(id),
          block_no INTEGER NOT NULL,
          first_line INTEGER NOT NULL,
          line_count INTEGER NOT NULL,
          bits BLOB NOT NULL,
          PRIMARY KEY (source_id, block_no)
        );
      `),
    // Sessions belong to a source: their ids are the lines' session column (0, 1, … per source,
    // in order of first appearance). `session_ids` maps ids to the ids written in the log, a row
    // per commit ('\n'-joined keys from `first_id` on), so registering costs nothing per session;
    // `sessions` holds the scored ones (score > 0, with reasons) and all time windows, which
    // stand in for sessions in logs without ids. The version-1 table was never written, so it is
    // replaced. `session_keys`: the key a source's ingest settled on (a null pattern: none), so a
    // resume groups lines exactly as the first run did. See session-store.ts.
    (db) =>
      db.exec(`
        DROP TABLE sessions;
        CREATE TABLE sessions (
          source_id INTEGER NOT NULL REFERENCES sources(id),
          id INTEGER NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('session', 'window')),
          key TEXT NOT NULL,
          first_line INTEGER NOT NULL,
          last_line INTEGER NOT NULL,
          lines INTEGER NOT NULL DEFAULT 0,
          first_ts REAL,
          last_ts REAL,
          score REAL,
          anomaly INTEGER NOT NULL DEFAULT 0,
          reasons TEXT,
          PRIMARY KEY (source_id, id)
        ) WITHOUT ROWID;
        CREATE INDEX sessions_by_score ON sessions (source_id, score DESC);
        CREATE INDEX sessions_by_line ON sessions (source_id, first_line);
        CREATE TABLE session_keys (
          source_id INTEGER PRIMARY KEY REFERENCES sources(id),
          name TEXT,
          pattern TEXT,
          flags TEXT
        );
        CREATE TABLE session_ids (
          source_id INTEGER NOT NULL REFERENCES sources(id),
          first_id INTEGER NOT NULL,
          keys TEXT NOT NULL,
          PRIMARY KEY (source_id, first_id)
        ) WITHOUT ROWID;
      `),
    // What the active model knew each template as: a re-score against a model mined elsewhere
    // maps the case's templates to the model's by content (see rescore/template-map.ts). Null:
    // the model never saw it (with `baseline_count` 0), or no model mapped it yet.
    (db) => db.exec(`ALTER TABLE templates ADD COLUMN model_template INTEGER`),
    // The user's template edits (merge two, split one on a parameter), in the order applied, so
    // each can be undone (see templates/template-edits.ts). `payload`: what the edit changed, as
    // JSON; `model_before`: the model the case was scored with before an edit that changed it.
    (db) =>
      db.exec(`
        CREATE TABLE template_edits (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
          payload TEXT NOT NULL,
          model_before TEXT,
          created_at REAL NOT NULL
        );
      `),
    // Line shapes (case/shapes/): what every line of a group has in common, so text search
    // answers most lines without reading them. Built beside the trigram bitmaps, by a worker of
    // its own: `text_shape_lines` holds a block's per-line variant ids, `text_shapes` the shapes,
    // `text_variants` the variants; all carry the `stamp` of the transaction that wrote them, so
    // a reader tops up with what is newer.
    (db) =>
      db.exec(`
        CREATE TABLE text_shape_lines (
          id INTEGER PRIMARY KEY,
          source_id INTEGER NOT NULL REFERENCES sources(id),
          block_no INTEGER NOT NULL,
          first_line INTEGER NOT NULL,
          line_count INTEGER NOT NULL,
          stamp INTEGER NOT NULL,
          shapes BLOB NOT NULL,
          UNIQUE (source_id, block_no)
        );
        CREATE INDEX text_shape_lines_by_stamp ON text_shape_lines (source_id, stamp);
        CREATE TABLE text_shapes (
          source_id INTEGER NOT NULL REFERENCES sources(id),
          shape_id INTEGER NOT NULL,
          spec TEXT NOT NULL,
          stamp INTEGER NOT NULL,
          PRIMARY KEY (source_id, shape_id)
        ) WITHOUT ROWID;
        CREATE INDEX text_shapes_by_stamp ON text_shapes (source_id, stamp);
        CREATE TABLE text_variants (
          source_id INTEGER NOT NULL REFERENCES sources(id),
          variant_id INTEGER NOT NULL,
          spec TEXT NOT NULL,
          stamp INTEGER NOT NULL,
          PRIMARY KEY (source_id, variant_id)
        ) WITHOUT ROWID;
        CREATE INDEX text_variants_by_stamp ON text_variants (source_id, stamp);
      `),
    // Scores in a rowid table: in a WITHOUT ROWID one (an index b-tree) a block's 4 KB of scores
    // spilled onto an overflow page of its own, mostly empty with 16 KB pages (14 MB per million
    // lines); a table b-tree keeps them in its leaf pages.
    (db) =>
      db.exec(`
        CREATE TABLE block_scores_rowid (
          source_id INTEGER NOT NULL REFERENCES sources(id),
          block_no INTEGER NOT NULL,
          scores BLOB NOT NULL,
          UNIQUE (source_id, block_no)
        );
        INSERT INTO block_scores_rowid (source_id, block_no, scores) SELECT source_id, block_no, scores FROM block_scores;
        DROP TABLE block_scores;
        ALTER TABLE block_scores_rowid RENAME TO block_scores;
      `),
    // Reasons stored once per distinct list (see reason-lists.ts): flagged lines and sessions
    // hold the list's id, with no foreign key: checking one made inserting flagged lines 5× slower
    // (72,000 lines: 139 → 690 ms), and lists are only ever added.
    (db) =>
      db.exec(`
        CREATE TABLE reason_lists (
          id INTEGER PRIMARY KEY,
          reasons TEXT NOT NULL UNIQUE
        );
        INSERT OR IGNORE INTO reason_lists (reasons) SELECT reasons FROM anomalies;
        INSERT OR IGNORE INTO reason_lists (reasons) SELECT reasons FROM sessions WHERE reasons IS NOT NULL;
        ALTER TABLE anomalies ADD COLUMN reasons_id INTEGER NOT NULL DEFAULT 0;
        UPDATE anomalies SET reasons_id = (SELECT id FROM reason_lists r WHERE r.reasons = anomalies.reasons);
        ALTER TABLE anomalies DROP COLUMN reasons;
        ALTER TABLE sessions ADD COLUMN reasons_id INTEGER;
        UPDATE sessions SET reasons_id = (SELECT id FROM reason_lists r WHERE r.reasons = sessions.reasons);
        ALTER TABLE sessions DROP COLUMN reasons;
        -- Flagged lines with their reasons' JSON, for readers.
        CREATE VIEW anomaly_reasons AS
          SELECT a.source_id, a.line_no, a.score, a.template_id, r.reasons FROM anomalies a JOIN reason_lists r ON r.id = a.reasons_id;
      `)
  ]
}
