import { Command } from 'commander'
import { productVersion } from '../core/version.ts'
import { registerWebCommand } from './commands/web.ts'

export function createProgram(): Command {
  const program = new Command()
    .name('faultline')
    .description('Investigate incident log dumps: detect the format, mine templates, score structural anomalies.')
    .version(productVersion, '-V, --version')
    .showHelpAfterError()
  registerWebCommand(program)
  return program
}
