/** The human summary of a written split (the --json document is the result itself). */
import {UserError} from '../errors.js'
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

/** --split writes the runner-format tensors of the recipe: the flags that choose another format do not apply. */
export function checkSplitFormat(format: string, model: string | undefined, shard: string | undefined): void {
  if (format === 'model' || model !== undefined) throw new UserError('--split writes the runner-format tensors of the recipe; --format model and --model do not apply to it')
  // merge joins runner folders, not split files: a split is written whole
  if (shard !== undefined) throw new UserError('--split writes one Arrow file of the whole split; --shard does not apply to it')
}
