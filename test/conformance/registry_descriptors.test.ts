/**
 * Entity and node descriptors against the official client's registry helpers (signSignedEntity,
 * openSignedEntity, signMultiSignedNode, openMultiSignedNode), plus the signer-set rules and JSON forms.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { toBase64, toHex } from '../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../src/codec/cbor.ts';
import { goJsonStringify } from '../../src/codec/json.ts';
import { Contexts } from '../../src/crypto/context.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { multiSignValue, signValue } from '../../src/crypto/signature.ts';
import {
  multiSignedFromJson,
  multiSignedToJson,
  parseJsonFile,
  signedFromJson,
  signedToJson,
} from '../../src/crypto/signer/json_files.ts';
import { CodedError } from '../../src/errors.ts';
import {
  entityFromJson,
  entityToJson,
  openSignedEntity,
  signEntity,
} from '../../src/services/registry/api/entity.ts';
import {
  encodeNode,
  type NodeDescriptor,
  NodeRoles,
  nodeCodec,
  openMultiSignedNode,
  signNode,
} from '../../src/services/registry/api/node.ts';
import { assertValueOrCoded, mutate, Prng } from '../codec/fuzz_helpers.ts';

const NOTE = 'this key is not important';
const ENTITY_CTX = 'oasis-core/registry: register entity';
const NODE_CTX = 'oasis-core/registry: register node';
const key = (n: number) => Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(n));
const clientSigner = (n: number) =>
  new oasis.signature.BlindContextSigner(
    oasis.signature.NaclSigner.fromSeed(new Uint8Array(32).fill(n), NOTE),
  );

const entityKey = key(40);
const signers = { node: key(41), p2p: key(42), consensus: key(43), vrf: key(44), tls: key(45) };

function sampleNode(overrides: Partial<NodeDescriptor> = {}): NodeDescriptor {
  return {
    v: 3,
    id: signers.node.publicKey,
    entityId: entityKey.publicKey,
    expiration: 42n,
    tls: { pubKey: signers.tls.publicKey },
    p2p: { id: signers.p2p.publicKey, addresses: [{ ip: Uint8Array.of(10, 0, 0, 1), port: 9200, zone: '' }] },
    consensus: {
      id: signers.consensus.publicKey,
      addresses: [
        {
          id: signers.consensus.publicKey,
          address: { ip: Uint8Array.of(10, 0, 0, 1), port: 26656, zone: '' },
        },
      ],
    },
    vrf: { id: signers.vrf.publicKey },
    runtimes: [],
    roles: NodeRoles.validator,
    softwareVersion: 'oasis-ts 0.1.0',
    ...overrides,
  };
}

const expectCoded = (code: number, pattern?: RegExp) => (err: unknown) =>
  CodedError.is(err, 'registry', code) && (pattern === undefined || pattern.test((err as Error).message));

describe('entity descriptors', () => {
  it("ours opens in the client and the client's opens with ours", async () => {
    const entity = { v: 2, id: entityKey.publicKey, nodes: [signers.node.publicKey] };
    const theirs = oasis.common.openSignedEntity(ENTITY_CTX, signEntity(entityKey, entity));
    assert.equal(theirs.v, 2);
    assert.equal(toHex(theirs.id), toHex(entity.id));
    assert.deepEqual(theirs.nodes?.map(toHex), [toHex(signers.node.publicKey)]);

    const clientSigned = await oasis.common.signSignedEntity(clientSigner(40), ENTITY_CTX, {
      v: 2,
      id: entityKey.publicKey,
    });
    const ours = openSignedEntity(clientSigned);
    assert.equal(toHex(ours.id), toHex(entityKey.publicKey));
    assert.equal(ours.nodes, undefined);
  });

  it('rejects a bad signature, a foreign signer, a wrong version and unknown fields', () => {
    const good = signEntity(entityKey, { v: 2, id: entityKey.publicKey });
    const flipped = {
      ...good,
      signature: { ...good.signature, signature: Uint8Array.from(good.signature.signature) },
    };
    flipped.signature.signature[0]! ^= 1;
    assert.throws(() => openSignedEntity(flipped), expectCoded(2));
    const foreign = signValue(key(99), Contexts.registerEntity, { v: 2, id: entityKey.publicKey });
    assert.throws(() => openSignedEntity(foreign), expectCoded(1, /not signed by the entity key/));
    const v1 = signValue(entityKey, Contexts.registerEntity, { v: 1, id: entityKey.publicKey });
    assert.throws(() => openSignedEntity(v1), expectCoded(1, /version 1/));
    const extra = signValue(entityKey, Contexts.registerEntity, { v: 2, id: entityKey.publicKey, x: 1 });
    assert.throws(() => openSignedEntity(extra), expectCoded(1, /unknown field/));
    const dup = signValue(entityKey, Contexts.registerEntity, {
      v: 2,
      id: entityKey.publicKey,
      nodes: [signers.node.publicKey, signers.node.publicKey],
    });
    assert.throws(() => openSignedEntity(dup), expectCoded(1, /duplicate/));
  });

  it("writes entity.json and entity_genesis.json as Go's json.MarshalIndent does, and reads them back", () => {
    const entity = { v: 2, id: entityKey.publicKey, nodes: [signers.node.publicKey] };
    const id = toBase64(entity.id);
    const node = toBase64(signers.node.publicKey);
    assert.equal(
      goJsonStringify(entityToJson(entity)),
      `{\n  "v": 2,\n  "id": "${id}",\n  "nodes": [\n    "${node}"\n  ]\n}`,
    );
    assert.equal(goJsonStringify(entityToJson({ v: 2, id: entity.id })), `{\n  "v": 2,\n  "id": "${id}"\n}`);
    assert.deepEqual(
      entityFromJson(JSON.parse(goJsonStringify(entityToJson(entity))), 'entity.json'),
      entity,
    );
    assert.throws(
      () => entityFromJson({ v: 2, id, extra: 1 }, 'entity.json'),
      /entity\.json\.extra: unknown field/,
    );
    assert.throws(() => entityFromJson({ v: 2, id: 'AAAA' }, 'entity.json'), /expected 32 bytes/);

    const signed = signEntity(entityKey, entity);
    const json = goJsonStringify(signedToJson(signed));
    assert.match(
      json,
      /^\{\n {2}"untrusted_raw_value": "[A-Za-z0-9+/=]+",\n {2}"signature": \{\n {4}"public_key": /,
    );
    const back = signedFromJson(JSON.parse(json), 'entity_genesis.json');
    assert.equal(toHex(encodeCanonical(back)), toHex(encodeCanonical(signed)));
    assert.deepEqual(openSignedEntity(back), entity);
  });
});

describe('node descriptors', () => {
  it("encode with oasis-core's field names and nil rules", () => {
    const value = decodeCanonical(encodeNode(sampleNode({ runtimes: [], softwareVersion: undefined })));
    const obj = value as Record<string, unknown>;
    assert.deepEqual(Object.keys(obj).sort(), [
      'consensus',
      'entity_id',
      'expiration',
      'id',
      'p2p',
      'roles',
      'runtimes',
      'tls',
      'v',
      'vrf',
    ]);
    assert.equal(obj.runtimes, null);
    const empty = decodeCanonical(
      encodeNode(sampleNode({ p2p: { id: signers.p2p.publicKey, addresses: [] } })),
    ) as Record<string, Record<string, unknown>>;
    assert.equal(empty.p2p!.addresses, null);
    const addr = (obj.p2p as { addresses: Array<Record<string, unknown>> }).addresses[0]!;
    assert.deepEqual(Object.keys(addr).sort(), ['IP', 'Port', 'Zone']);
  });

  it('ours (with runtimes and TEE capability) opens in the client with the same fields', () => {
    const n = sampleNode({
      roles: NodeRoles.validator | NodeRoles.computeWorker,
      runtimes: [
        {
          id: new Uint8Array(32).fill(0x80),
          version: { major: 1, minor: 0, patch: 3 },
          capabilities: { tee: { hardware: 1, rak: key(50).publicKey, attestation: Uint8Array.of(1, 2, 3) } },
          extraInfo: null,
        },
      ],
    });
    const ms = signNode(signers, n);
    const theirs = oasis.common.openMultiSignedNode(NODE_CTX, ms);
    assert.equal(toHex(theirs.id), toHex(n.id));
    assert.equal(toHex(theirs.entity_id), toHex(n.entityId));
    assert.equal(BigInt(theirs.expiration), 42n);
    assert.equal(theirs.roles, 9);
    assert.equal(theirs.software_version, 'oasis-ts 0.1.0');
    assert.equal(toHex(theirs.p2p.addresses[0]!.IP), '0a000001');
    assert.equal(Number(theirs.consensus.addresses[0]!.address.Port), 26656);
    assert.equal(theirs.runtimes[0]!.version.patch, 3);
    assert.equal(theirs.runtimes[0]!.capabilities.tee?.hardware, 1);
    assert.deepEqual(openMultiSignedNode(ms), n);
  });

  it('a node signed by the client with all five keys opens with ours', async () => {
    const cborNode = nodeCodec.encode(sampleNode());
    const ms = await oasis.common.signMultiSignedNode(
      [41, 42, 43, 44, 45].map(clientSigner),
      NODE_CTX,
      cborNode as unknown as oasis.types.Node,
    );
    const n = openMultiSignedNode(ms);
    assert.deepEqual(n, sampleNode());
  });

  it('requires exactly the node, P2P, consensus, VRF and TLS signatures', () => {
    const n = sampleNode();
    const all = [signers.node, signers.p2p, signers.consensus, signers.vrf, signers.tls];
    const names = ['node identity', 'P2P ID', 'consensus ID', 'VRF ID', 'TLS key'];
    all.forEach((_, i) => {
      const ms = multiSignValue(
        all.filter((__, j) => j !== i),
        Contexts.registerNode,
        nodeCodec.encode(n),
      );
      assert.throws(() => openMultiSignedNode(ms), expectCoded(1, new RegExp(`not signed by ${names[i]}`)));
    });
    const extra = multiSignValue([...all, key(99)], Contexts.registerNode, nodeCodec.encode(n));
    assert.throws(() => openMultiSignedNode(extra), expectCoded(1, /unexpected signer/));
    const wrongCtx = multiSignValue(all, Contexts.registerEntity, nodeCodec.encode(n));
    assert.throws(() => openMultiSignedNode(wrongCtx), expectCoded(2));
    const sameKeys = sampleNode({ vrf: { id: signers.p2p.publicKey } });
    const shared = multiSignValue(
      [signers.node, signers.p2p, signers.consensus, signers.tls],
      Contexts.registerNode,
      nodeCodec.encode(sameKeys),
    );
    assert.throws(() => openMultiSignedNode(shared), expectCoded(1, /not unique/));
    assert.throws(() => signNode({ ...signers, vrf: key(98) }, n), /do not match/);
  });

  it('rejects bad versions, roles and unknown fields', () => {
    const all = [signers.node, signers.p2p, signers.consensus, signers.vrf, signers.tls];
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...nodeCodec.encode(sampleNode()), v: 2 }, /version 2/],
      [{ ...nodeCodec.encode(sampleNode()), roles: 0 }, /invalid roles/],
      [{ ...nodeCodec.encode(sampleNode()), roles: 16 }, /invalid roles/],
      [{ ...nodeCodec.encode(sampleNode()), roles: 64 }, /invalid roles/],
      [{ ...nodeCodec.encode(sampleNode()), extra: 1 }, /unknown field/],
      [{ ...nodeCodec.encode(sampleNode()), software_version: 'x'.repeat(129) }, /longer than 128/],
    ];
    for (const [body, pattern] of cases) {
      const ms = multiSignValue(all, Contexts.registerNode, body);
      assert.throws(() => openMultiSignedNode(ms), expectCoded(1, pattern), String(pattern));
    }
  });

  it('node_genesis.json round-trips through its JSON form', () => {
    const ms = signNode(signers, sampleNode());
    const json = goJsonStringify(multiSignedToJson(ms));
    assert.match(
      json,
      /^\{\n {2}"untrusted_raw_value": "[^"]+",\n {2}"signatures": \[\n {4}\{\n {6}"public_key"/,
    );
    const back = multiSignedFromJson(JSON.parse(json), 'node_genesis.json');
    assert.deepEqual(openMultiSignedNode(back), sampleNode());
  });

  it('answers mutated descriptors with a value or a CodecError', () => {
    const rng = new Prng(41);
    const base = encodeNode(
      sampleNode({
        runtimes: [
          {
            id: new Uint8Array(32),
            version: { major: 1, minor: 2, patch: 3 },
            capabilities: {},
            extraInfo: Uint8Array.of(1),
          },
        ],
      }),
    );
    let decoded = 0;
    for (let i = 0; i < 3000; i++) {
      const input = mutate(rng, base);
      const result = assertValueOrCoded(
        () => nodeCodec.decode(decodeCanonical(input), 'node'),
        `iteration ${i}`,
      );
      if (!(result instanceof CodedError)) decoded++;
    }
    assert.ok(decoded > 0);
  });

  it('JSON readers answer mutated files with a value or an error naming the file, nothing else', () => {
    const rng = new Prng(42);
    const texts = [
      goJsonStringify(multiSignedToJson(signNode(signers, sampleNode()))),
      goJsonStringify(entityToJson({ v: 2, id: entityKey.publicKey, nodes: [signers.node.publicKey] })),
      goJsonStringify(signedToJson(signEntity(entityKey, { v: 2, id: entityKey.publicKey }))),
    ];
    const readers = [
      (v: unknown) => openMultiSignedNode(multiSignedFromJson(v, 'f.json')),
      (v: unknown) => entityFromJson(v, 'f.json'),
      (v: unknown) => openSignedEntity(signedFromJson(v, 'f.json')),
    ];
    for (let i = 0; i < 600; i++) {
      const k = i % 3;
      const text = new TextDecoder().decode(mutate(rng, new TextEncoder().encode(texts[k]!)));
      try {
        readers[k]!(parseJsonFile(text, 'f.json'));
      } catch (err) {
        const ok =
          err instanceof CodedError ||
          (err instanceof Error && err.constructor === Error && /^f\.json/.test(err.message));
        assert.ok(ok, `iteration ${i}: ${(err as Error).name}: ${(err as Error).message}`);
      }
    }
  });
});
