/** Escaping and number formatting shared by the HTML and the SVG of the report. */

const ESCAPES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}

/** Text and attribute values alike: file names and warnings come from logs, which anyone can write. */
export function escapeHtml(text: string): string {
  return text.replaceAll(/[&<>"']/g, (character) => ESCAPES[character])
}

/** A model output as a reader compares them: integers as they are, else four significant digits. */
export function formatOutput(value: number): string {
  if (Number.isNaN(value)) return 'nan'
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)))
}

/** SVG coordinates: a tenth of a pixel is finer than any screen, and keeps 12 000-point charts small. */
export function coordinate(value: number): string {
  return String(Math.round(value * 10) / 10)
}
