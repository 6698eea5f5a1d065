/** The only IPC channels Faultline uses; the preload exposes nothing else. */
export const ipcChannels = {
  request: 'faultline:request',
  event: 'faultline:event',
  /** The preload tells the main process the path of a file the user dropped (see path-grants.ts). */
  droppedFile: 'faultline:dropped-file'
} as const

/** The global the preload script defines in the renderer's main world. */
export const bridgeGlobal = 'faultlineBridge'

/** The global with `pathOf(file)`: the path of a dropped File, granted for opening (desktop only). */
export const filesGlobal = 'faultlineFiles'
