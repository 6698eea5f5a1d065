/** The only two IPC channels Faultline uses; the preload exposes nothing else. */
export const ipcChannels = {
  request: 'faultline:request',
  event: 'faultline:event'
} as const

/** The global the preload script defines in the renderer's main world. */
export const bridgeGlobal = 'faultlineBridge'
