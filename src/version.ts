import {readFileSync} from 'node:fs'

import {packageFile} from './package-files.js'

/** The version in package.json, recorded in every manifest. */
export const TINYDATA_VERSION: string = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')).version
