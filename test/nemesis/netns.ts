/**
 * Real links for the nemesis: each node runs in a network namespace of its own, joined to one bridge by a
 * veth pair, with an address in a private /24 (10.77.K.0/24) that exists only inside these namespaces and
 * on the bridge. Faults act on real sockets: taking a node's veth down isolates it from everyone; a
 * blackhole route on both sides cuts the link between two nodes. Everything created here is removed by
 * `destroy()`, which also runs when the process exits or is interrupted.
 */
import { execFileSync } from 'node:child_process';
import type { LinkFaults } from './fault_file_links.ts';

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const tryIp = (...args: string[]) => {
  try {
    ip(...args);
  } catch {
    // Already gone or never made: cleanup is best effort.
  }
};

/** Whether network namespaces can be created here (root and `ip` with netns support). */
export function namespacesAvailable(): boolean {
  const probe = `onprobe${process.pid % 100_000}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return true;
  } catch {
    return false;
  }
}

/** N nodes, one namespace each, on one bridge. */
export class NamespaceNetwork implements LinkFaults {
  readonly hosts: string[];
  readonly #tag: string;
  readonly #size: number;
  readonly #cuts = new Set<string>();
  readonly #down = new Set<number>();
  #destroyed = false;
  readonly #onExit = () => this.destroy();
  readonly #onSignal = (signal: NodeJS.Signals) => {
    this.destroy();
    process.kill(process.pid, signal);
  };

  private constructor(subnet: number, size: number) {
    this.#tag = `on${subnet}`;
    this.#size = size;
    this.hosts = Array.from({ length: size }, (_, i) => `10.77.${subnet}.${i + 10}`);
  }

  /** Creates the bridge and the namespaces for `size` nodes in 10.77.`subnet`.0/24 (subnet 0..250). */
  static create(size: number, subnet = process.pid % 250): NamespaceNetwork {
    const net = new NamespaceNetwork(subnet, size);
    process.once('exit', net.#onExit);
    process.once('SIGINT', net.#onSignal);
    process.once('SIGTERM', net.#onSignal);
    try {
      net.#build(subnet);
    } catch (err) {
      net.destroy();
      throw err;
    }
    return net;
  }

  #bridge(): string {
    return `${this.#tag}br`;
  }

  #ns(i: number): string {
    return `${this.#tag}n${i}`;
  }

  #hostVeth(i: number): string {
    return `${this.#tag}v${i}`;
  }

  #build(subnet: number): void {
    // A previous run with the same tag that died without cleaning up would block the names.
    this.#removeAll();
    ip('link', 'add', this.#bridge(), 'type', 'bridge');
    ip('addr', 'add', `10.77.${subnet}.1/24`, 'dev', this.#bridge());
    ip('link', 'set', this.#bridge(), 'up');
    for (let i = 0; i < this.#size; i++) {
      const ns = this.#ns(i);
      const peer = `${this.#tag}p${i}`;
      ip('netns', 'add', ns);
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('link', 'add', this.#hostVeth(i), 'type', 'veth', 'peer', 'name', peer);
      ip('link', 'set', peer, 'netns', ns);
      ip('link', 'set', this.#hostVeth(i), 'master', this.#bridge(), 'up');
      ip('-n', ns, 'addr', 'add', `${this.hosts[i]}/24`, 'dev', peer);
      ip('-n', ns, 'link', 'set', peer, 'up');
    }
  }

  /** Command prefix that runs a program inside node `i`'s namespace. */
  launcher(i: number): string[] {
    return ['ip', 'netns', 'exec', this.#ns(i)];
  }

  /** Takes node `i`'s link down: no packet in or out until `rejoin`. */
  isolate(i: number): void {
    ip('link', 'set', this.#hostVeth(i), 'down');
    this.#down.add(i);
  }

  /** Brings node `i`'s link back up. */
  rejoin(i: number): void {
    ip('link', 'set', this.#hostVeth(i), 'up');
    this.#down.delete(i);
  }

  /** Cuts the link between nodes `a` and `b` (blackhole routes on both sides). */
  cut(a: number, b: number): void {
    const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
    if (this.#cuts.has(key)) return;
    ip('-n', this.#ns(a), 'route', 'add', 'blackhole', `${this.hosts[b]}/32`);
    ip('-n', this.#ns(b), 'route', 'add', 'blackhole', `${this.hosts[a]}/32`);
    this.#cuts.add(key);
  }

  /** Restores the link between `a` and `b`. */
  mend(a: number, b: number): void {
    const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
    if (!this.#cuts.delete(key)) return;
    tryIp('-n', this.#ns(a), 'route', 'del', 'blackhole', `${this.hosts[b]}/32`);
    tryIp('-n', this.#ns(b), 'route', 'del', 'blackhole', `${this.hosts[a]}/32`);
  }

  /** Splits the nodes into `side` and the rest: every link across is cut. */
  partition(side: number[]): void {
    for (let a = 0; a < this.#size; a++)
      for (let b = a + 1; b < this.#size; b++) if (side.includes(a) !== side.includes(b)) this.cut(a, b);
  }

  /** Undoes every fault. */
  healAll(): void {
    for (const key of [...this.#cuts]) {
      const [a, b] = key.split('-').map(Number);
      this.mend(a!, b!);
    }
    for (const i of [...this.#down]) this.rejoin(i);
  }

  #removeAll(): void {
    for (let i = 0; i < this.#size; i++) {
      tryIp('netns', 'del', this.#ns(i));
      tryIp('link', 'del', this.#hostVeth(i));
    }
    tryIp('link', 'del', this.#bridge());
  }

  /** Deletes every namespace, veth and the bridge (idempotent). */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#removeAll();
    process.off('exit', this.#onExit);
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
  }
}
