/** Numbers printed the way the runners print them (Python `%.Nf`). */

/** Enough decimals to see every digit of a double in the range the figures live in (|x| ≥ 1e-14). */
const EXPANSION_DIGITS = 100

/**
 * Python's `'%.Nf' % x`: correctly rounded, and an exact binary tie goes to the even digit, where JavaScript's
 * `toFixed` rounds it away from zero (0.125 → "0.12" in Python, "0.13" in JavaScript).
 */
export function formatFixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'nan'
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf'
  const rounded = value.toFixed(digits)
  const expansion = Math.abs(value).toFixed(EXPANSION_DIGITS)
  const rest = expansion.slice(expansion.indexOf('.') + 1 + digits)
  const isTie = /^50*$/.test(rest)
  const lastDigit = Number(rounded.at(-1))
  if (!isTie || lastDigit % 2 === 0) return rounded
  return rounded.slice(0, -1) + String(lastDigit - 1)
}
