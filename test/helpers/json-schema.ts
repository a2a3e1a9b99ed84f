/** Validates a command's real `--json` output against its schema in schemas/<command>.schema.json (draft-07, ajv). */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {Ajv, type ValidateFunction} from 'ajv'
import {expect} from 'vitest'

import {REPO_ROOT} from './archives.js'

const ajv = new Ajv({allErrors: true, strict: true})
const validators = new Map<string, ValidateFunction>()

/** `prepare kws` → schemas/prepare-kws.schema.json */
export function schemaPath(command: string): string {
  return join(REPO_ROOT, 'schemas', `${command.replaceAll(' ', '-')}.schema.json`)
}

let schemasAdded = false

/** Every schema in schemas/, keyed by its path (and known by its $id), so that one can $ref another's definitions. */
function addAllSchemas(): void {
  if (schemasAdded) return
  const folder = join(REPO_ROOT, 'schemas')
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.schema.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(join(folder, file), 'utf8')) as object, join(folder, file))
  }
  schemasAdded = true
}

function validatorOf(command: string): ValidateFunction {
  let validate = validators.get(command)
  if (!validate) {
    addAllSchemas()
    validate = ajv.getSchema(schemaPath(command))
    if (!validate) throw new Error(`${schemaPath(command)}: no such schema`)
    validators.set(command, validate)
  }
  return validate
}

/**
 * Every object key at any depth that is not snake_case (lower case, digits, underscores). The keys of the objects at
 * `dataKeyed` paths (`$.results`: an object keyed by file path) are data, not names, and are not checked.
 */
export function nonSnakeKeys(value: unknown, dataKeyed: readonly string[] = [], path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => nonSnakeKeys(item, dataKeyed, `${path}[${index}]`))
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([key, item]) => [
    ...(dataKeyed.includes(path) || /^[a-z][a-z0-9_]*$/.test(key) ? [] : [`${path}.${key}`]),
    ...nonSnakeKeys(item, dataKeyed, `${path}.${key}`),
  ])
}

/**
 * Asserts that `output` (a command's parsed --json document) matches the command's schema and that every key is
 * snake_case (see nonSnakeKeys for `dataKeyed`).
 */
export function expectMatchesSchema(command: string, output: unknown, dataKeyed: readonly string[] = []): void {
  const validate = validatorOf(command)
  const valid = validate(output)
  expect(valid ? [] : ajv.errorsText(validate.errors, {separator: '\n'}).split('\n'), `${command} --json against ${schemaPath(command)}`).toEqual([])
  expect(nonSnakeKeys(output, dataKeyed), `${command} --json: keys that are not snake_case`).toEqual([])
}
