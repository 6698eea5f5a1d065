/**
 * Messages on the web host's WebSocket. The socket multiplexes requests (matched to replies by
 * id) and pushed events.
 */
import { z } from 'zod'
import type { Reply } from './reply.ts'

export const clientMessageSchema = z.object({
  type: z.literal('request'),
  id: z.number().int().nonnegative(),
  method: z.string().max(200),
  params: z.unknown()
})
export type ClientMessage = z.infer<typeof clientMessageSchema>

export type ServerMessage =
  | { type: 'reply'; id: number; reply: Reply }
  | { type: 'event'; event: string; payload: unknown }

/** Path of the WebSocket endpoint and of the HTTP request endpoint (`POST /api/<method>`). */
export const apiSocketPath = '/api/socket'
export const apiHttpPrefix = '/api/'

/** `POST /upload?name=<file name>` with the file as the body saves a dropped file on the host. */
export const uploadPath = '/upload'

/** `GET /download/<id>` sends a file the engine prepared (an export, a model file). */
export const downloadPath = '/download'
