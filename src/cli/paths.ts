import { fileURLToPath } from 'node:url'

/** The built renderer, as electron-vite writes it; the web host serves it. */
export const rendererDir = fileURLToPath(new URL('../../out/renderer', import.meta.url))

/** The app's bundled files (icon, sample incident). */
export const resourcesDir = fileURLToPath(new URL('../../resources', import.meta.url))
