import {setTimeout as sleep} from 'node:timers/promises'
import {describe, expect, it} from 'vitest'

import {mapConcurrently, settleConcurrently} from '../../src/parallel/concurrently.js'

/** A task that records how many run at once and fails on the items `failing` names. */
function tracked(failing: ReadonlySet<number> = new Set()) {
  const state = {running: 0, most: 0, started: [] as number[]}
  const task = async (item: number): Promise<number> => {
    state.started.push(item)
    state.running++
    state.most = Math.max(state.most, state.running)
    await sleep(item % 3) // settle out of order
    state.running--
    if (failing.has(item)) throw new Error(`item ${item}`)
    return item * 10
  }
  return {state, task}
}

const items = Array.from({length: 12}, (_, index) => index)

describe('mapConcurrently', () => {
  it('keeps the order of the items with at most `limit` in flight', async () => {
    const {state, task} = tracked()
    expect(await mapConcurrently(items, 3, task)).toEqual(items.map((item) => item * 10))
    expect(state.most).toBe(3)
  })

  it('starts nothing after a failure and throws it once the started tasks have settled', async () => {
    const {state, task} = tracked(new Set([1]))
    await expect(mapConcurrently(items, 2, task)).rejects.toThrow('item 1')
    expect(state.running).toBe(0)
    expect(state.started.length).toBeLessThan(items.length)
  })

  it('refuses a limit below 1', async () => {
    await expect(mapConcurrently(items, 0, tracked().task)).rejects.toThrow(RangeError)
  })
})

describe('settleConcurrently', () => {
  it('runs every item whatever fails, and gives each outcome in the order of the items', async () => {
    const {state, task} = tracked(new Set([1, 7]))
    const outcomes = await settleConcurrently(items, 4, task)
    expect(state.started.sort((a, b) => a - b)).toEqual(items)
    expect(state.most).toBe(4)
    expect(outcomes.map((outcome) => outcome.status === 'fulfilled' ? outcome.value : (outcome.reason as Error).message))
      .toEqual(items.map((item) => (item === 1 || item === 7 ? `item ${item}` : item * 10)))
  })
})
