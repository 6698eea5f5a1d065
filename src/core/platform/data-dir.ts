import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * Where Faultline keeps its app database. The same folder Electron's `app.getPath('userData')`
 * gives for an app named Faultline, so the desktop app and the web host share settings and
 * recent cases. `FAULTLINE_DATA_DIR` overrides it (tests, portable installs).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.FAULTLINE_DATA_DIR) return env.FAULTLINE_DATA_DIR
  const home = homedir()
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Faultline')
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Faultline')
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Faultline')
  }
}
