import {readPinnedFile} from '../formats/pinned-tables.js'

/** One row of a pinned ic01 list: the official file name, its label and its index into the CIFAR-10 test batch. */
export interface IcListEntry {
  file: string
  label: number
  index: number
}

const lists = new Map<string, readonly IcListEntry[]>()

/** Reads (once) a pinned `file<TAB>label<TAB>test_batch_index` table, in y_labels.csv order. */
export function loadIcList(table: string): readonly IcListEntry[] {
  let entries = lists.get(table)
  if (!entries) {
    entries = readPinnedFile(table)
      .trim()
      .split('\n')
      .slice(1)
      .map((row) => {
        const [file, label, index] = row.split('\t') as [string, string, string]
        return {file, label: Number(label), index: Number(index)}
      })
    lists.set(table, entries)
  }
  return entries
}
