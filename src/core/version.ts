// One source for the version, so the CLI, the web host and the app all report the same one.
import pkg from '../../package.json' with { type: 'json' }

export const productName = 'Faultline'
export const productVersion: string = pkg.version
