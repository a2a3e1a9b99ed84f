/**
 * vitest's global setup: every temporary folder the tests make (theirs, and the CLI's they run) goes under one folder
 * of this run, removed at its end, so that runs leave nothing in the system's temporary folder. (Tests that forgot
 * to remove theirs had left thousands there, and file creation in it had slowed.)
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'tinydata-test-run-'))
  process.env.TMPDIR = root
  return () => rmSync(root, {recursive: true, force: true})
}
