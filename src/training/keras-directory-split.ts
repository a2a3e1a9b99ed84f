/**
 * Keras' `ImageDataGenerator(validation_split=v).flow_from_directory(dir, subset=…)` membership and order
 * (keras_preprocessing DirectoryIterator): the classes are the sorted sub-folders of `dir`, indexed 0, 1, …; in each,
 * the image files in order (folders walked in sorted order of their paths, each folder's files sorted by name), of
 * which the first int(v · n) are `validation` and the rest `training`. The examples are the classes' lists one after
 * the other, in class order.
 */
export interface KerasImageFile {
  /** The class sub-folder (the first path component below `dir`). */
  className: string
  /** The path below the class folder: `a.jpg`, `sub/b.jpg`. */
  path: string
}

/** Whether Keras lists a file: its lower-cased name ends with `.` and one of the white-listed extensions. */
export function isKerasImage(name: string, extensions: readonly string[]): boolean {
  const lower = name.toLowerCase()
  return extensions.some((extension) => lower.endsWith(`.${extension}`))
}

/** os.walk sorted by folder path, then sorted file names: the order `_iter_valid_files` yields. */
function compareWalkOrder(a: string, b: string): number {
  const folderA = a.slice(0, Math.max(0, a.lastIndexOf('/')))
  const folderB = b.slice(0, Math.max(0, b.lastIndexOf('/')))
  if (folderA !== folderB) return compareText(folderA, folderB)
  return compareText(a.slice(a.lastIndexOf('/') + 1), b.slice(b.lastIndexOf('/') + 1))
}

/** Python's str order (code points); JavaScript's < compares UTF-16 units, which differ only above U+FFFF. */
function compareText(a: string, b: string): number {
  const [x, y] = [[...a], [...b]]
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const difference = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!
    if (difference !== 0) return difference
  }
  return x.length - y.length
}

/** The class names in Keras' index order. */
export function kerasClasses(files: readonly KerasImageFile[]): string[] {
  return [...new Set(files.map((file) => file.className))].sort(compareText)
}

/** The files of `subset`, in the order of the iterator's `filenames`. */
export function kerasSubset<T extends KerasImageFile>(files: readonly T[], validationSplit: number, subset: 'training' | 'validation'): T[] {
  return kerasClasses(files).flatMap((className) => {
    const inClass = files.filter((file) => file.className === className).sort((a, b) => compareWalkOrder(a.path, b.path))
    const cut = Math.trunc(validationSplit * inClass.length)
    return subset === 'validation' ? inClass.slice(0, cut) : inClass.slice(cut)
  })
}
