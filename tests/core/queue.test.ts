import { describe, expect, it } from 'vitest'
import { setup } from '../helpers/setup.js'

const seqs = (frames: { seq: number }[]) => frames.map((f) => f.seq)

describe('sending and the offline queue', () => {
  it('send() while OPEN goes out at once and resolves on the ack', async () => {
    const { fake, net, client, open } = setup()
    open()
    const sent = client.send({ n: 1 })
    expect(net.framesOf('msg')).toEqual([{ t: 'msg', seq: 1, data: { n: 1 } }])
    fake.advance(0)
    await expect(sent).resolves.toBeUndefined()
    expect(client.getSnapshot().queued).toBe(0)
  })

  it('messages sent while not OPEN wait, counted in the snapshot, and go out in order on OPEN', async () => {
    const { fake, net, client } = setup()
    const sent = [client.send('a'), client.send('b'), client.send('c')]
    expect(client.getSnapshot()).toMatchObject({ state: 'CLOSED', queued: 3 })
    client.login({ id: 'me' })
    fake.advance(0)
    await Promise.all(sent)
    expect(net.framesOf('msg').map((f) => f.data)).toEqual(['a', 'b', 'c'])
    expect(seqs(net.framesOf('msg'))).toEqual([1, 2, 3])
    expect(client.getSnapshot().queued).toBe(0)
  })

  it('queue limit: a full queue refuses new messages with a clear error and drops nothing', async () => {
    const { fake, net, client } = setup({ queueLimit: 3 })
    const sent = [client.send(1), client.send(2), client.send(3)]
    expect(() => client.send(4)).toThrow(RangeError)
    expect(() => client.send(4)).toThrow(/queue is full \(3 messages.*nothing was dropped/)
    expect(client.getSnapshot().queued).toBe(3)
    client.login({ id: 'me' })
    fake.advance(0)
    await Promise.all(sent)
    expect(net.framesOf('msg').map((f) => f.data)).toEqual([1, 2, 3])
    await expect(client.send(4)).resolves.toBeUndefined
  })

  it('data that cannot be encoded is refused at send() with a TypeError', () => {
    const { client } = setup()
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => client.send(cyclic)).toThrow(TypeError)
    expect(() => client.send(10n)).toThrow(/cannot be encoded as JSON/)
    expect(client.getSnapshot().queued).toBe(0)
  })

  it('unacknowledged messages are resent after a reconnect; welcome.lastSeq prunes what arrived', async () => {
    const { fake, net, client, open } = setup()
    open()
    net.acks = false
    const sent = [client.send('m1'), client.send('m2'), client.send('m3')]
    fake.advance(0) // the server got all three (lastSeq 3) but its acks were lost
    net.lastSeq = 1 // …pretend only m1 was processed before the crash
    net.killAll()
    expect(client.getSnapshot().queued).toBe(3)
    fake.advance(0)
    await sent[0]
    const onSecondSocket = net.received.filter(
      (r) => r.socket === net.sockets[1] && r.frame.t === 'msg',
    )
    expect(onSecondSocket.map((r) => r.frame)).toEqual([
      { t: 'msg', seq: 2, data: 'm2' },
      { t: 'msg', seq: 3, data: 'm3' },
    ])
    net.acks = true
    client.send('m4')
    fake.advance(0)
    await Promise.all(sent)
  })

  it('close() with a non-empty queue rejects what is queued with a clear error', async () => {
    const { fake, net, client, open } = setup()
    open()
    net.up = false
    net.killAll()
    fake.advance(0)
    const sent = [client.send('x'), client.send('y')]
    client.close()
    for (const p of sent)
      await expect(p).rejects.toThrow(/close\(\) was called before this was done/)
    expect(client.getSnapshot().queued).toBe(0)
  })

  it('close() on a client that never connected (lazyConnect) rejects what was queued too', async () => {
    const { client } = setup({ lazyConnect: true })
    const sent = client.send('early')
    expect(client.getSnapshot()).toMatchObject({ state: 'CLOSED', queued: 1 })
    client.close()
    await expect(sent).rejects.toThrow(/close\(\) was called before this was done/)
    expect(client.getSnapshot().queued).toBe(0)
  })

  it('a message larger than the server accepts is rejected, not sent, and reported', async () => {
    const { net, client, open, errors } = setup()
    open()
    const big = client.send('x'.repeat((1 << 20) + 10))
    await expect(big).rejects.toThrow(/larger than the server accepts \(1048576 bytes\)/)
    expect(net.framesOf('msg')).toEqual([])
    expect(errors.map((e) => e.code)).toEqual(['MESSAGE_TOO_LARGE'])
    expect(client.getConnectionState()).toBe('OPEN')
  })
})
