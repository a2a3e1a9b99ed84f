import {fileError} from '../errors.js'
import {readPinnedFile} from '../formats/pinned-tables.js'

/** One row of a pinned ad01 y_labels list: `file,2,label,2560,512`. */
export interface AdListEntry {
  file: string
  label: number
}


/**
 * The rows of a y_labels list, in its order, checked against the benchmark's class count and window fields (a
 * list that disagrees would make stimuli the runner slices differently).
 */
export function loadAdList(path: string, classes: number, windowBytes: number, strideBytes: number): AdListEntry[] {
  const list = {path, text: readPinnedFile(path)}
  return list.text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const [file, classCount, label, window, stride, ...rest] = line.trim().split(',')
      const valid =
        file && rest.length === 0 && Number(classCount) === classes && Number(window) === windowBytes && Number(stride) === strideBytes &&
        Number.isInteger(Number(label)) && Number(label) >= 0 && Number(label) < classes
      if (!valid) throw fileError(list.path, `line ${index + 1} is not "file,${classes},label,${windowBytes},${strideBytes}": ${line}`)
      return {file: file!, label: Number(label)}
    })
}
