/**
 * The dashboard in a real browser (headless Chromium driven by puppeteer-core) against a running network
 * of node processes — one validator and one compute node hosting the accounts ParaTime — with the
 * dashboard enabled on the validator. Every page loads; the leaderboard lists every validator entity with
 * the stake the node's gRPC API reports at the same height; the overview's height moves without a reload;
 * a ParaTime transfer's round shows up finalized, with the committee's node as its proposer.
 * Every request a page makes goes to the node itself (no CDN). Screenshots (desktop and phone width) are
 * saved under test-artifacts/dashboard/ (not committed).
 * Skips, saying why, only when no Chromium binary is installed.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { NodeClient } from '../../src/api/grpc_client.ts';
import { toHex } from '../../src/codec/bytes.ts';
import type { CborValue } from '../../src/codec/cbor.ts';
import { addressFromPublicKey } from '../../src/crypto/address.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { freePort, prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { validatorCodec } from '../../src/services/scheduler/api/committee.ts';
import { accountCodec } from '../../src/services/staking/api/account.ts';
import { ParaTimeClient } from './paratime_client.ts';

/** Where Debian, Ubuntu and Chrome put the browser; `CHROMIUM_PATH` overrides. */
const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];
const chromium = CANDIDATES.find((p): p is string => p !== undefined && p !== '' && existsSync(p));
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'dashboard');
// biome-ignore lint/suspicious/noExplicitAny: endpoint answers are untyped JSON, checked field by field
type Json = Record<string, any>;

/** Polls `check` every 250 ms until it holds; fails naming `what` after `timeoutMs`. */
async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `${what} within ${timeoutMs} ms`);
    await sleep(250);
  }
}

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** Turns the dashboard on in a node's YAML config (kept as a config file, as an operator would edit it). */
function enableDashboard(configFile: string, address: string): void {
  const config = (parseYaml(readFileSync(configFile, 'utf8')) ?? {}) as Record<string, unknown>;
  config.dashboard = { address };
  writeFileSync(configFile, stringifyYaml(config));
}

describe('dashboard in a real browser', {
  timeout: 300_000,
  skip: chromium ? false : 'no Chromium binary found (apt-get install chromium)',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-dashboard-e2e-'));
  const procs = new LocalnetProcesses();
  let net: LocalnetManifest;
  let url: string;
  let browser: Browser;
  let client: NodeClient;

  const validator = () => net.nodes.find((n) => n.roles.includes('validator'))!;
  /** Opens a page at `hash` and waits until `selector` shows. */
  const open = async (hash: string, selector: string, viewport = DESKTOP): Promise<Page> => {
    const page = await browser.newPage();
    await page.setViewport(viewport);
    const errors: string[] = [];
    const elsewhere: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    page.on('request', (r) => {
      if (!r.url().startsWith(url)) elsewhere.push(r.url());
    });
    await page.goto(`${url}${hash}`, { waitUntil: 'domcontentloaded', timeout: 30_000 });
    await page.waitForSelector(selector, { timeout: 30_000 });
    assert.deepEqual(errors, [], `no script errors on ${hash}`);
    assert.deepEqual(elsewhere, [], `${hash} loads everything from the node (works offline)`);
    return page;
  };
  const shoot = async (page: Page, name: string) => {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  };

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    net = await prepareLocalnet({
      dir,
      validators: 1,
      compute: 1,
      runtime: 'accounts',
      epochInterval: 10,
      timeoutCommitMs: 200,
    });
    const address = `127.0.0.1:${await freePort()}`;
    enableDashboard(validator().config, address);
    url = `http://${address}/`;
    for (const node of net.nodes) procs.start(node);
    await procs.waitHeight(validator(), 3, 90_000);
    client = new NodeClient(`unix:${validator().internal_socket}`);
    browser = await puppeteer.launch({
      executablePath: chromium!,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    });
  });

  after(async () => {
    await browser?.close();
    client?.close();
    await procs.stopAll('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('overview: shows the chain head and its height moves without a reload', async () => {
    const page = await open('#/', '[data-testid=height]');
    await page.waitForSelector('.chart canvas', { timeout: 10_000 });
    const heightOf = () => page.$eval('[data-testid=height]', (el) => Number(el.textContent));
    const first = await heightOf();
    assert.ok(first >= 3, `height ${first}`);
    // A marker in the page's window survives live updates, not a reload.
    await page.evaluate('window.notReloaded = true');
    await page.waitForFunction(
      `Number(document.querySelector('[data-testid=height]')?.textContent) > ${first}`,
      { timeout: 20_000 },
    );
    assert.equal(await page.evaluate('window.notReloaded'), true);
    assert.match(await page.$eval('[data-testid=validators]', (el) => el.textContent ?? ''), /^1 \/ 1$/);
    await shoot(page, 'overview');
    await page.close();
    const phone = await open('#/', '[data-testid=height]', PHONE);
    await phone.waitForSelector('.chart canvas');
    const width = Number(await phone.evaluate('document.documentElement.scrollWidth'));
    assert.ok(width <= PHONE.width, `the page fits a ${PHONE.width}px screen (it is ${width}px wide)`);
    await shoot(phone, 'overview-phone');
    await phone.close();
  });

  it('leaderboard: every validator entity with the stake the gRPC API reports', async () => {
    const page = await open('#/leaderboard', 'table.leaderboard tbody tr');
    const height = Number(await page.$eval('table.leaderboard', (el) => el.getAttribute('data-height')));
    const validators = (
      (await client.call('oasis-core.Scheduler', 'GetValidators', height)) as CborValue[]
    ).map((v) => validatorCodec.decode(v, 'validator'));
    assert.ok(validators.length >= 1);
    for (const v of validators) {
      const owner = addressFromPublicKey(v.entity_id);
      const account = accountCodec.decode(
        (await client.call('oasis-core.Staking', 'Account', { height, owner })) as CborValue,
        'account',
      );
      const shown = await page.$eval(`tr[data-entity="${toHex(v.entity_id)}"] td.stake`, (el) =>
        el.getAttribute('data-value'),
      );
      assert.equal(BigInt(shown!), account.escrow.active.balance, `stake of entity ${toHex(v.entity_id)}`);
    }
    // Sorting by a column reorders the rows in the page, without asking the server.
    await page.click('th[data-sort=stake]');
    await page.waitForSelector('th.sorted[data-sort=stake]');
    await shoot(page, 'leaderboard');
    await page.close();
    const phone = await open('#/leaderboard', 'table.leaderboard tbody tr', PHONE);
    await shoot(phone, 'leaderboard-phone');
    await phone.close();
  });

  it('blocks and transactions: the list, the search box, one block, one transaction', async () => {
    const page = await open('#/blocks', 'tr[data-height]');
    await shoot(page, 'blocks');
    await page.type('input[name=q]', '2');
    await page.click('form.search button');
    await page.waitForFunction(`location.hash === '#/blocks/2'`, { timeout: 10_000 });
    await page.waitForSelector('dl.fields');
    assert.match(await page.$eval('main h1', (el) => el.textContent ?? ''), /Block 2/);
    await shoot(page, 'block');
    await page.close();
    // A transaction (the nodes' own: registrations, beacon and executor transactions) and its page.
    const { blocks } = (await (await fetch(`${url}api/blocks?limit=100`)).json()) as { blocks: Json[] };
    const withTx = blocks.find((b) => b.txs > 0);
    assert.ok(withTx, 'a block with a transaction among the last 100');
    const [tx] = ((await (await fetch(`${url}api/blocks/${withTx.height}`)).json()) as Json).transactions;
    const txPage = await open(`#/tx/${tx.hash}`, '[data-testid=method]');
    assert.equal(await txPage.$eval('[data-testid=method]', (el) => el.textContent), tx.method);
    await shoot(txPage, 'transaction');
    await txPage.close();
  });

  it('accounts: a funded test account', async () => {
    const page = await open(`#/accounts/${net.accounts[0]!.address}`, '[data-testid=balance]');
    assert.match(await page.$eval('[data-testid=balance]', (el) => el.textContent ?? ''), /TEST/);
    await shoot(page, 'account');
    await page.close();
  });

  it('paratimes: the committee, and the round of a transfer finalized with its proposer', async () => {
    const runtimeId = net.runtimes[0]!.id;
    const computeNode = net.nodes.find((n) => n.roles.includes('compute'))!;
    const paraTime = async () =>
      ((await (await fetch(`${url}api/paratimes`)).json()) as { paratimes: Json[] }).paratimes.find(
        (p) => p.id === runtimeId,
      )!;
    // The first committee is elected at the first epoch.
    await waitFor(async () => (await paraTime()).committee.members.length > 0, 60_000, 'a committee');
    const landed = await new ParaTimeClient(net, computeNode).transfer(1n);
    assert.deepEqual(landed.outcome.fail, undefined);
    let round: Json | undefined;
    await waitFor(
      async () => {
        round = (await paraTime()).rounds.find((r: Json) => BigInt(r.round) === landed.round);
        return round?.finalized_height !== undefined && round.finalized_height !== null;
      },
      30_000,
      `round ${landed.round} finalized`,
    );
    // The only compute node is the committee and so the round's scheduler.
    assert.ok(round!.commitments >= 1);
    assert.equal(round!.failures, 0);
    assert.equal(round!.proposer, (await paraTime()).committee.members[0].node);

    const page = await open('#/paratimes', `section[data-runtime="${runtimeId}"]`);
    await page.waitForSelector(`tr[data-round="${landed.round}"]`, { timeout: 10_000 });
    await shoot(page, 'paratimes');
    await page.close();
  });
});
