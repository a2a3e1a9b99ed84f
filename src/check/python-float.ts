// TEMPORARY stand-in until h-table's version is merged
export function pythonFloat(x: number): string {
  const text = String(x)
  return Number.isInteger(x) && !text.includes('e') ? `${text}.0` : text
}
