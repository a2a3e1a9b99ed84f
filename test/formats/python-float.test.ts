import {describe, expect, it} from 'vitest'

import {pythonFloat} from '../../src/formats/python-float.js'

/**
 * [value, how it is written, what Python 3.11 prints for `str(float(value))`]: the third column was produced by
 * running python3 on each expression, not by the code under test.
 */
const PYTHON_PRINTS: [number, string, string][] = [
  [0, "0", '0.0'],
  [-0.0, "-0.0", '-0.0'],
  [90, "90", '90.0'],
  [90.5, "90.5", '90.5'],
  [1, "1", '1.0'],
  [0.1, "0.1", '0.1'],
  [0.0001, "0.0001", '0.0001'],
  [0.00001, "0.00001", '1e-05'],
  [1.5e-07, "1.5e-07", '1.5e-07'],
  [0.00012345, "0.00012345", '0.00012345'],
  [123456789012345.6, "123456789012345.6", '123456789012345.6'],
  [1234567890123456, "1234567890123456", '1234567890123456.0'],
  [9999999999999998, "9999999999999998", '9999999999999998.0'],
  [1e16, "1e16", '1e+16'],
  [1e15, "1e15", '1000000000000000.0'],
  [1e22, "1e22", '1e+22'],
  [1.7976931348623157e308, "1.7976931348623157e308", '1.7976931348623157e+308'],
  [5e-324, "5e-324", '5e-324'],
  [2.2250738585072014e-308, "2.2250738585072014e-308", '2.2250738585072014e-308'],
  [0.1+0.2, "0.1+0.2", '0.30000000000000004'],
  [1/3, "1/3", '0.3333333333333333'],
  [12345.678, "12345.678", '12345.678'],
  [-42.125, "-42.125", '-42.125'],
  [-1e-7, "-1e-7", '-1e-07'],
  [3.14159, "3.14159", '3.14159'],
  [85.33, "85.33", '85.33'],
  [0.8912, "0.8912", '0.8912'],
  [1000/7, "1000/7", '142.85714285714286'],
  [9.999999999999999e-05, "9.999999999999999e-05", '9.999999999999999e-05'],
  [123.456e10, "123.456e10", '1234560000000.0'],
]

describe('pythonFloat', () => {
  it.each(PYTHON_PRINTS)('%s (%s) prints as Python prints it: %s', (value, _written, printed) => {
    expect(pythonFloat(value)).toBe(printed)
  })

  it('prints the values that are not numbers as Python does', () => {
    expect(pythonFloat(Number.NaN)).toBe('nan')
    expect(pythonFloat(Number.POSITIVE_INFINITY)).toBe('inf')
    expect(pythonFloat(Number.NEGATIVE_INFINITY)).toBe('-inf')
  })

  it('reads back as the same number wherever it is finite', () => {
    for (const [value] of PYTHON_PRINTS) expect(Number(pythonFloat(value))).toBe(value)
  })
})
