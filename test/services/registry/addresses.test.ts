import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRoutableIp } from '../../../src/services/registry/addresses.ts';

const v6 = (...groups: number[]) => {
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
};

describe('address routability', () => {
  it('accepts public addresses and refuses private, loopback, link-local, multicast and unspecified ones', () => {
    const yes = [
      Uint8Array.of(8, 8, 8, 8),
      Uint8Array.of(1, 1, 1, 1),
      v6(0x2001, 0x4860, 0, 0, 0, 0, 0, 0x8888),
    ];
    const no = [
      Uint8Array.of(0, 0, 0, 0),
      Uint8Array.of(10, 1, 2, 3),
      Uint8Array.of(127, 0, 0, 1),
      Uint8Array.of(169, 254, 1, 1),
      Uint8Array.of(172, 16, 0, 1),
      Uint8Array.of(172, 31, 255, 255),
      Uint8Array.of(192, 168, 1, 1),
      Uint8Array.of(100, 64, 0, 1),
      Uint8Array.of(224, 0, 0, 1),
      Uint8Array.of(255, 255, 255, 255),
      Uint8Array.of(192, 0, 2, 7),
      Uint8Array.of(198, 19, 0, 1),
      Uint8Array.of(203, 0, 113, 9),
      v6(0x2001, 0x0db8, 0, 0, 0, 0, 0, 1),
      v6(0x2001, 0x0100, 0, 0, 0, 0, 0, 1),
      v6(),
      v6(0, 0, 0, 0, 0, 0, 0, 1),
      v6(0xfe80, 0, 0, 0, 0, 0, 0, 1),
      v6(0xfd00, 0, 0, 0, 0, 0, 0, 1),
      v6(0xff02, 0, 0, 0, 0, 0, 0, 1),
    ];
    for (const ip of yes) assert.equal(isRoutableIp(ip), true, ip.join('.'));
    for (const ip of no) assert.equal(isRoutableIp(ip), false, ip.join('.'));
    assert.equal(isRoutableIp(Uint8Array.of(172, 32, 0, 1)), true);
    // IPv4-mapped IPv6 (how Go stores IPv4) is judged as the IPv4 address.
    assert.equal(isRoutableIp(v6(0, 0, 0, 0, 0, 0xffff, 0x7f00, 0x0001)), false);
    assert.equal(isRoutableIp(v6(0, 0, 0, 0, 0, 0xffff, 0x0808, 0x0808)), true);
  });
});
