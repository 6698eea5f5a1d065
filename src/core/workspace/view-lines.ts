import type { ViewLine } from '../../shared/api/case-contract.ts'
import type { StoredLine } from '../case/block-reader.ts'
import { lineFlag } from '../case/block-codec.ts'

/** A stored line as the viewer sees it: flagged or not at the case's threshold. */
export function toViewLine(line: StoredLine, threshold: number): ViewLine {
  return {
    lineNo: line.lineNo,
    text: line.text,
    ts: line.ts,
    level: line.level,
    template: line.template,
    score: line.score,
    flagged: line.score >= threshold,
    continuation: (line.flags & lineFlag.continuation) !== 0
  }
}
