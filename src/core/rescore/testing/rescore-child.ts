/**
 * Child process for the kill -9 test: re-scores source 1 of the case argv[2] in place again and
 * again, alternating between the model files argv[3] and argv[4], printing after each commit so
 * the parent can kill it at any point, in or out of the write transaction.
 */
import { CaseStore } from '../../case/case-store.ts'
import { loadModel } from '../../model/model-file.ts'
import { rescoreSource } from '../rescore-source.ts'

const [casePath, first, second] = process.argv.slice(2)
if (!casePath || !first || !second) throw new Error('usage: rescore-child.ts <case> <model> <model>')
const models = [await loadModel(first), await loadModel(second)]
const store = CaseStore.open(casePath)
for (let round = 0; ; round++) {
  await rescoreSource(store, 1, models[round % 2] as (typeof models)[number])
  console.log(`committed ${round}`)
}
