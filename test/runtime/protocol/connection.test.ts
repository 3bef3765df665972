import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodedError } from '../../../src/errors.ts';
import { RhpConnection } from '../../../src/runtime/protocol/connection.ts';
import { RHP_MODULE, RhpErrorCode } from '../../../src/runtime/protocol/errors.ts';
import { encodeFrame, FrameDecoder } from '../../../src/runtime/protocol/frame.ts';
import { decodeMessage, encodeMessage, MessageType } from '../../../src/runtime/protocol/message.ts';

const dir = mkdtempSync(join(tmpdir(), 'rhp-'));
const path = join(dir, 's.sock');
let server: Server;
let accepted: (s: Socket) => void;
const open: Socket[] = [];

before(async () => {
  server = createServer((s) => {
    open.push(s);
    accepted(s);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
});
after(async () => {
  // Peers some tests leave open would keep `close` waiting: end them first.
  for (const s of open) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** A connected pair: our connection on the client side, the raw peer socket on the server side. */
async function pair(
  options: ConstructorParameters<typeof RhpConnection>[1] = {},
): Promise<[RhpConnection, Socket]> {
  const peer = new Promise<Socket>((resolve) => (accepted = resolve));
  const socket = connect(path);
  const conn = new RhpConnection(socket, options);
  return [conn, await peer];
}

/** Collects the decoded requests the raw peer receives. */
function requests(peer: Socket) {
  const decoder = new FrameDecoder();
  const seen: ReturnType<typeof decodeMessage>[] = [];
  const waiters: Array<() => void> = [];
  peer.on('data', (chunk) => {
    for (const f of decoder.push(chunk)) seen.push(decodeMessage(f));
    for (const w of waiters.splice(0)) w();
  });
  return {
    seen,
    async count(n: number) {
      while (seen.length < n) await new Promise<void>((r) => waiters.push(r));
    },
  };
}

const code = (c: number) => (err: unknown) =>
  err instanceof CodedError && err.module === RHP_MODULE && err.code === c;

describe('RhpConnection', () => {
  it('correlates out-of-order responses by id and maps Error bodies to coded errors', async () => {
    const [conn, peer] = await pair();
    const got = requests(peer);
    const a = conn.request('RuntimeQueryRequest', {
      round: 1n,
      state_root: new Uint8Array(32),
      consensus_height: 1n,
      epoch: 0n,
      method: 'a',
      args: null,
    });
    const b = conn.request('RuntimePingRequest', {});
    await got.count(2);
    const [qa, qb] = got.seen;
    peer.write(
      encodeFrame(
        encodeMessage(qb!.id, MessageType.response, 'Error', { module: 'x', code: 9, message: 'no' }),
      ),
    );
    peer.write(
      encodeFrame(encodeMessage(qa!.id, MessageType.response, 'RuntimeQueryResponse', { data: 'A' })),
    );
    assert.deepEqual(await a, { data: 'A' });
    await assert.rejects(b, (e: CodedError) => e.module === 'x' && e.code === 9 && e.message === 'no');
    conn.close(new CodedError('t', 1, 'done'));
  });

  it('answers the peer with its handler, and with an Error body when the handler throws', async () => {
    const [, peer] = await pair({
      onRequest: (kind) => {
        if (kind === 'RuntimePingRequest') return { kind: 'Empty', body: {} };
        throw new CodedError('mod', 5, 'nope');
      },
    });
    const got = requests(peer);
    peer.write(encodeFrame(encodeMessage(5n, MessageType.request, 'RuntimePingRequest', {})));
    peer.write(encodeFrame(encodeMessage(6n, MessageType.request, 'RuntimeAbortRequest', {})));
    await got.count(2);
    const byId = new Map(got.seen.map((m) => [m.id, m]));
    assert.equal(byId.get(5n)?.kind, 'Empty');
    assert.deepEqual(byId.get(6n)?.body, { module: 'mod', code: 5, message: 'nope' });
    peer.destroy();
  });

  it('times out a call and ignores its late response', async () => {
    const [conn, peer] = await pair();
    const got = requests(peer);
    await assert.rejects(conn.request('RuntimePingRequest', {}, 30), code(RhpErrorCode.timeout));
    peer.write(encodeFrame(encodeMessage(got.seen[0]!.id, MessageType.response, 'Empty', {})));
    const next = conn.request('RuntimePingRequest', {});
    await got.count(2);
    peer.write(encodeFrame(encodeMessage(got.seen[1]!.id, MessageType.response, 'Empty', {})));
    assert.deepEqual(await next, {});
    assert.equal(conn.isClosed, false);
    conn.close(new CodedError('t', 1, 'done'));
  });

  for (const [name, bytes] of [
    ['garbage bytes', Buffer.from('00000005ffffffffff', 'hex')],
    ['an oversize frame header', Buffer.from('7fffffff', 'hex')],
    ['a response to an unknown id', encodeFrame(encodeMessage(999n, MessageType.response, 'Empty', {}))],
    [
      'a response of the wrong kind',
      encodeFrame(
        encodeMessage(0n, MessageType.response, 'RuntimeInfoResponse', {
          protocol_version: {},
          runtime_version: {},
        }),
      ),
    ],
    [
      'a non-request kind sent as a request',
      encodeFrame(encodeMessage(1n, MessageType.request, 'Empty', {})),
    ],
  ] as const) {
    it(`closes on ${name} and fails pending calls with a protocol violation`, async () => {
      const [conn, peer] = await pair();
      const pending = conn.request('RuntimePingRequest', {});
      peer.write(bytes);
      await assert.rejects(pending, code(RhpErrorCode.protocolViolation));
      assert.ok(code(RhpErrorCode.protocolViolation)(await conn.closed));
      await assert.rejects(conn.request('RuntimePingRequest', {}), code(RhpErrorCode.protocolViolation));
    });
  }

  it('fails pending calls with runtime-died when the peer goes away', async () => {
    const [conn, peer] = await pair();
    const pending = conn.request('RuntimePingRequest', {});
    peer.destroy();
    await assert.rejects(pending, code(RhpErrorCode.runtimeDied));
  });
});
