import { describe, expect, it } from 'vitest'
import { isNamedValue, isReadoutValue } from './readout-line.ts'

describe('readout lines', () => {
  it('recognises a name and its value: colon or dot leader, an index allowed in a dot-leader name', () => {
    for (const template of [
      'instruction address: <*>',
      'machine check: i-fetch......................<*>',
      'core configuration register: <*>',
      'floating pt ex mode <*> enable......<*>',
      'problem state (<*>=<*>,<*>=<*>).......<*>'
    ]) {
      expect(isNamedValue(template), template).toBe(true)
    }
  })

  it('does not take statements, trailing context fields, one-word names or long sentences for readouts', () => {
    for (const template of [
      'data storage interrupt',
      'Lustre mount FAILED : <*> : point <*>',
      'rts: kernel terminated for reason <*>',
      'java.lang.IllegalStateException: <*>',
      'generating <*>',
      '<*>: <*>',
      'ciod: Error loading <*>: invalid or missing program image, No such file or directory',
      'the scheduler gave up waiting on the queue after too many retries: <*>',
      'Order <*> failed: payments unavailable trace=<*>',
      'Payment failed for all orders trace=<*>',
      'Connection to <*> refused: <*>'
    ]) {
      expect(isNamedValue(template), template).toBe(false)
    }
  })

  it('reads numbers out, not words', () => {
    for (const value of ['0', '42', '-3.5', '120ms', '0x00004ed8', '00004ed0', '28244842']) expect(isReadoutValue(value), value).toBe(true)
    for (const value of ['timeout', 'dead', 'OK', 'blk_123', '', undefined]) expect(isReadoutValue(value), String(value)).toBe(false)
  })
})
