/**
 * The one casing of every `--json` document: snake_case keys. Library results stay idiomatic camelCase TypeScript;
 * the commands convert at the boundary. Only plain objects' keys change (a class instance or a typed array is data).
 */
type SnakeCase<Key extends string> = Key extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : Key

export type SnakeCased<T> = T extends readonly (infer Item)[]
  ? SnakeCased<Item>[]
  : T extends object
    ? {[Key in keyof T as Key extends string ? SnakeCase<Key> : Key]: SnakeCased<T[Key]>}
    : T

export function snakeCaseKeys<T>(value: T): SnakeCased<T> {
  if (Array.isArray(value)) return value.map((item) => snakeCaseKeys(item)) as SnakeCased<T>
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value as SnakeCased<T>
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), snakeCaseKeys(item)]),
  ) as SnakeCased<T>
}
