import {readPinnedFile} from '../formats/pinned-tables.js'
import {parseTsv} from '../formats/tsv.js'

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
    entries = parseTsv(readPinnedFile(table), ['file', 'label', 'test_batch_index'], table)
      .map((row) => ({file: row.file, label: Number(row.label), index: Number(row.test_batch_index)}))
    lists.set(table, entries)
  }
  return entries
}
