/**
 * Orders strings by Unicode code point, as Python's `sorted()` does for `str` (and therefore
 * scikit-learn's vocabulary) and SQLite does for UTF-8 text. JavaScript's `<` compares UTF-16
 * code units, which disagrees for characters above U+FFFF against U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    // A surrogate stands for a code point above U+FFFF: lift it past the rest of the BMP.
    if (x >= 0xd800 && x <= 0xdfff) x += 0x2000
    else if (x >= 0xe000) x -= 0x800
    if (y >= 0xd800 && y <= 0xdfff) y += 0x2000
    else if (y >= 0xe000) y -= 0x800
    return x - y
  }
  return a.length - b.length
}
