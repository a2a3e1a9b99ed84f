/** The human summary of a written split (the --json document is the result itself). */
import type {SplitResult} from './run-split.js'

export function describeSplit(result: SplitResult): string {
  const {tensor, published, source} = result
  const classes = result.classCounts.map(({labelName, rows}) => `${labelName} ${rows}`).join(', ')
  const lines = [
    `wrote ${result.output}: ${result.rows} ${result.benchmark} ${result.split} examples, ${tensor.dtype} tensors [${tensor.shape.join(', ')}]`,
    `  classes    ${classes}`,
    `  source     ${source.path} (${source.checksum})`,
  ]
  if (published) lines.push(`  published  ${published.count} examples: ${published.matches ? 'matches' : `differs (${result.rows} here)`}`)
  for (const warning of result.warnings) lines.push(`  warning    ${warning}`)
  return lines.join('\n')
}
