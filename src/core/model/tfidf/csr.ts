/**
 * Compressed sparse rows, the layout scikit-learn's `csr_matrix` uses: row `i` holds the
 * columns `indices[indptr[i] .. indptr[i+1])` with values `data[...]` at the same positions.
 * Rows produced here always have strictly increasing column indices.
 */
export interface CsrMatrix {
  readonly nRows: number
  readonly nCols: number
  /** Length `nRows + 1`, starts at 0. */
  readonly indptr: Int32Array
  readonly indices: Int32Array
  readonly data: Float64Array
}

/** One sparse row: column indices (increasing) and their values. */
export interface SparseRow {
  readonly indices: Int32Array
  readonly data: Float64Array
}

/** The row `i` as views into the matrix (no copy). */
export function csrRow(m: CsrMatrix, i: number): SparseRow {
  const start = m.indptr[i] ?? 0
  const end = m.indptr[i + 1] ?? start
  return { indices: m.indices.subarray(start, end), data: m.data.subarray(start, end) }
}

/** Stack rows into a matrix (copies); each row's indices must already be increasing. */
export function csrFromRows(rows: readonly SparseRow[], nCols: number): CsrMatrix {
  let nnz = 0
  for (const r of rows) nnz += r.indices.length
  const indptr = new Int32Array(rows.length + 1)
  const indices = new Int32Array(nnz)
  const data = new Float64Array(nnz)
  let at = 0
  rows.forEach((r, i) => {
    indices.set(r.indices, at)
    data.set(r.data, at)
    at += r.indices.length
    indptr[i + 1] = at
  })
  return { nRows: rows.length, nCols, indptr, indices, data }
}

/** Dense rows (e.g. a few numeric features) as CSR, keeping only non-zero values. */
export function csrFromDense(rows: readonly ArrayLike<number>[], nCols: number): CsrMatrix {
  const indptr = new Int32Array(rows.length + 1)
  const cols: number[] = []
  const vals: number[] = []
  rows.forEach((row, i) => {
    if (row.length !== nCols) throw new Error(`row ${i} has ${row.length} values, expected ${nCols}`)
    for (let j = 0; j < nCols; j++) {
      const v = row[j] ?? 0
      if (v !== 0) {
        cols.push(j)
        vals.push(v)
      }
    }
    indptr[i + 1] = cols.length
  })
  return { nRows: rows.length, nCols, indptr, indices: Int32Array.from(cols), data: Float64Array.from(vals) }
}
