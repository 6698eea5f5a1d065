/**
 * Readouts: lines that only report one number under a name (`instruction address: 0x00004ed8`,
 * `machine check enable..............0`). They are the rows of a dump (registers,
 * settings, a state report) and carry whatever severity the event that triggered the dump had,
 * so the level on one such line says little on its own: severity-based evidence on them is
 * discounted. Statements (`data storage interrupt`, `Connection failed: timeout`,
 * `mount FAILED : <*> : point <*>`, `Order <*> failed trace=<*>`) are not readouts.
 */
import { WILDCARD } from '../../mine/index.ts'

/** `name: value`: a short literal name (two to four words) and a colon. */
const COLON_NAME = /^(?:\S+\s+){1,3}\S*:\s*$/

/** `name.......value`: a dot leader, the table layout of dumps; the name may hold an index (`mode <*>`). */
const LEADER_NAME = /^(?:\S+\s+){1,5}\S*?\.{2,}\s*$/

/** Decimal with an optional unit, 0x-hex, or bare hex with at least one digit. */
const NUMBER = /^(?:[+-]?\d+(?:\.\d+)?[a-z%]{0,3}|0x[0-9a-f]+|[0-9a-f]*\d[0-9a-f]*)$/i

/**
 * Whether the template has the shape of a readout: a name, then its value as the last parameter.
 * `key=<*>` is not one: at the end of a sentence it is a context field (`… failed trace=<*>`).
 */
export function isNamedValue(template: string): boolean {
  const text = template.trim()
  if (!text.endsWith(WILDCARD)) return false
  const name = text.slice(0, -WILDCARD.length)
  const shaped = LEADER_NAME.test(name) || (!name.includes(WILDCARD) && COLON_NAME.test(name))
  // At least two words of the name are words, not parameters.
  return shaped && name.split(/\s+/).filter((word) => /[a-z]{2}/i.test(word.replaceAll(WILDCARD, ''))).length >= 2
}

/** Whether a line of a named-value template reads out a number (its last parameter). */
export function isReadoutValue(value: string | undefined): boolean {
  return value !== undefined && NUMBER.test(value)
}
