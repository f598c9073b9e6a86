import { describe, expect, it } from 'vitest'
import { setup } from '../helpers/setup.js'

const pingsOn = (socket: { sent: string[] }) =>
  socket.sent.filter((f) => f === '{"t":"ping"}').length

describe('deepstream: heartbeats', () => {
  it('a healthy link pings every interval and stays OPEN', () => {
    const { fake, net, client, open, log } = setup({ heartbeatInterval: 1000 })
    open()
    fake.advance(100_000)
    expect(pingsOn(net.sockets[0]!)).toBe(100)
    expect(client.getConnectionState()).toBe('OPEN')
    expect(log.slice(-1)).toEqual([[0, 'OPEN', 'JOIN_SUCCESS']])
  })

  it('two missed heartbeats → ERROR/KEEP_ALIVE_TIMEOUT, two intervals after the last answer', () => {
    const { fake, net, client, open, log, attemptTimes } = setup({ heartbeatInterval: 1000 })
    open()
    fake.advance(5000) // five pings answered
    net.answerPings = false
    fake.advance(1999) // the pings at 6000 and 7000 go unanswered
    expect(client.getConnectionState()).toBe('OPEN')
    fake.advance(1)
    expect(log.slice(-1)).toEqual([[7000, 'ERROR', 'KEEP_ALIVE_TIMEOUT']])
    expect(pingsOn(net.sockets[0]!)).toBe(6)
    expect(client.getSnapshot().error?.message).toMatch(/two heartbeat intervals/)
    expect(net.sockets[0]!.closedByClient).not.toBeNull()
    fake.advance(600_000)
    expect(attemptTimes()).toEqual([])
    expect(fake.pending()).toBe(0)
  })

  it("heartbeatFailure: 'reconnect' → RECONNECTING/KEEP_ALIVE_TIMEOUT and an attempt at once", () => {
    const { fake, net, client, open, log, attemptTimes } = setup({
      heartbeatInterval: 1000,
      heartbeatFailure: 'reconnect',
    })
    open()
    net.answerPings = false
    fake.advance(2000)
    expect(log).toContainEqual([2000, 'RECONNECTING', 'KEEP_ALIVE_TIMEOUT'])
    expect(attemptTimes()).toEqual([2000])
    net.answerPings = true
    fake.advance(0)
    expect(client.getSnapshot()).toMatchObject({ state: 'OPEN', reason: 'REJOIN_SUCCESS' })
  })

  it('any frame from the server counts as an answer', () => {
    const { fake, net, client, open } = setup({ heartbeatInterval: 1000 })
    open()
    net.answerPings = false
    for (let i = 0; i < 20; i++) {
      fake.advance(900)
      net.sockets[0]!.push({ t: 'msg', from: 'peer', data: i })
    }
    expect(client.getConnectionState()).toBe('OPEN')
  })

  it('one late timer (simulated sleep) alone does not fail the heartbeat: it probes first', () => {
    const { fake, net, client, open } = setup({ heartbeatInterval: 1000 })
    open()
    fake.advance(2500)
    const before = pingsOn(net.sockets[0]!)
    fake.sleep(60_000) // the laptop sleeps; no timer runs, no frame arrives
    fake.advance(0) // it wakes: the overdue watchdog fires 59 s late
    expect(client.getConnectionState()).toBe('OPEN')
    expect(pingsOn(net.sockets[0]!)).toBe(before + 1) // the probe, answered on this advance
    fake.advance(10_000)
    expect(client.getConnectionState()).toBe('OPEN')
  })

  it('after a sleep a dead server is detected one interval after the probe, not at wake-up', () => {
    const { fake, net, client, open, log } = setup({ heartbeatInterval: 1000 })
    open()
    fake.advance(2500)
    net.answerPings = false
    fake.sleep(60_000)
    fake.advance(0)
    expect(client.getConnectionState()).toBe('OPEN')
    fake.advance(999)
    expect(client.getConnectionState()).toBe('OPEN')
    fake.advance(1)
    expect(log.slice(-1)).toEqual([[63_500, 'ERROR', 'KEEP_ALIVE_TIMEOUT']])
  })
})
