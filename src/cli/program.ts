import { Command } from 'commander'
import { productVersion } from '../core/version.ts'
import { registerExportCommand } from './commands/export.ts'
import { registerOpenCommand } from './commands/open.ts'
import { registerParseCommand } from './commands/parse.ts'
import { registerScanCommand } from './commands/scan.ts'
import { registerTrainCommand } from './commands/train.ts'
import { registerWebCommand } from './commands/web.ts'
import { registerServeCommand } from './commands/serve.ts'
import { registerCompareCommand } from './commands/compare.ts'
import { registerTailCommand } from './commands/tail.ts'

export function createProgram(): Command {
  const program = new Command()
    .name('faultline')
    .description('Investigate incident log dumps: detect the format, mine templates, score structural anomalies.')
    .version(productVersion, '-V, --version')
    .showHelpAfterError()
  registerParseCommand(program)
  registerOpenCommand(program)
  registerTrainCommand(program)
  registerScanCommand(program)
  registerWebCommand(program)
  registerServeCommand(program)
  registerCompareCommand(program)
  registerTailCommand(program)
  registerExportCommand(program)
  return program
}
