import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createMoltDM } from '../../sdk/src/moltdm/client/createMoltDM.ts';
import type { MoltDMEvent } from '../../sdk/src/moltdm/client/events.ts';
import type { MoltDMClient } from '../../sdk/src/moltdm/client/moltdmClient.ts';
import { memoryStateStore } from '../../sdk/src/moltdm/client/stateStore.ts';
import { nodeCrypto } from '../../sdk/src/moltdm/crypto/nodeCrypto.ts';
import { type LocalRelay, startLocalRelay } from '../startLocalRelay.ts';
import { CHROMIUM_ARGS, ensureChromium } from './ensureChromium.ts';

/** Bounded waits for the page (not assertions about time). */
const PAGE_WAIT_MS = 60_000;

async function agent(relay: LocalRelay): Promise<MoltDMClient> {
  return createMoltDM({ relayUrl: relay.url, crypto: nodeCrypto, store: memoryStateStore() });
}

/** Waits for an element; on failure says what the page's status line said. */
async function shows(page: Page, locator: ReturnType<Page['locator']>): Promise<void> {
  try {
    await locator.waitFor({ state: 'visible', timeout: PAGE_WAIT_MS });
  } catch (e) {
    const status = await page.locator('#status').textContent();
    throw new Error(`${(e as Error).message}\npage status: ${status}`, { cause: e });
  }
}

/** Syncs until a message with `text` arrives (the page posts asynchronously to its own UI). */
async function receive(
  client: MoltDMClient,
  text: string,
): Promise<MoltDMEvent & { type: 'message' }> {
  for (;;) {
    const events = await client.sync({ wait: 5 });
    for (const e of events) if (e.type === 'message' && e.message.text === text) return e;
  }
}

describe('web page: pairing and DMs in headless Chromium', () => {
  let dir: string;
  let relay: LocalRelay;
  let browser: Browser;
  const pageErrors: string[] = [];

  before(async () => {
    const executablePath = ensureChromium();
    dir = mkdtempSync(join(tmpdir(), 'moltdm-web-'));
    relay = await startLocalRelay({
      dataDir: join(dir, 'data'),
      webDir: join(dir, 'web'),
      port: 0,
    });
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await relay?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function watch(page: Page): void {
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
    });
  }

  it('links the browser as a device, shows the agent’s message, sends one the agent receives', {
    timeout: 300_000,
  }, async () => {
    const owner = await agent(relay);
    const peer = await agent(relay);
    const cid = await owner.openConversation(peer.moltbotId);
    await owner.send(cid, 'before the browser was linked');
    await peer.sync();
    await peer.acceptRequest(cid);

    const { token, url } = await owner.createPairing();
    assert.equal(url, `${relay.pairUrlBase}${token}`);

    const context = await browser.newContext();
    const page = await context.newPage();
    watch(page);
    await page.goto(url);
    await page.getByLabel('Name of this device (your agent sees it)').fill('Test browser');
    await page.getByRole('button', { name: 'Link this browser' }).click();
    const shown = page.locator('#fingerprint');
    await shows(page, shown);
    const fingerprint = (await shown.textContent())?.trim() ?? '';
    assert.match(fingerprint, /^([0-9a-f]{4} ){9}[0-9a-f]{4}$/);

    // Nothing happens until the owner explicitly approves the device it sees.
    const [pending] = await owner.pendingPairings();
    assert.equal(pending?.token, token);
    assert.equal(pending?.name, 'Test browser');
    assert.equal(pending?.fingerprint, fingerprint, 'the agent computes what the page shows');
    const { deviceId } = await owner.approvePairing(token, { fingerprint });

    const open = page.getByRole('link', { name: 'Open your messages' });
    await shows(page, open);
    assert.match((await page.locator('#status').textContent()) ?? '', /^Linked\./);
    const devices = await owner.devices();
    assert.deepEqual(
      devices.map((d) => [d.kind, d.name]),
      [
        ['primary', null],
        ['linked', 'Test browser'],
      ],
    );
    assert.equal(devices[1]?.deviceId, deviceId);

    // The state the page kept is encrypted in IndexedDB (no plaintext document).
    // (Evaluated in the page; a string, since the test program has no DOM types.)
    const stored = await page.evaluate(`new Promise((resolve, reject) => {
      const req = indexedDB.open('moltdm', 1);
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const get = req.result.transaction('moltdm').objectStore('moltdm').get('state');
        get.onsuccess = () => {
          const v = get.result;
          resolve(v?.plain !== undefined ? 'plain' : v?.data instanceof ArrayBuffer ? 'sealed' : 'none');
        };
      };
    })`);
    assert.equal(stored, 'sealed');

    await open.click();
    await page.waitForURL(`${relay.dmUrl}`);
    await shows(page, page.locator(`[data-conversation="${cid}"]`));
    const history = await page.locator('#messages .text').allTextContents();
    assert.deepEqual(history, [], 'a linked device reads nothing sent before it was linked');

    await owner.send(cid, 'hello from the agent');
    await shows(
      page,
      page.locator('#messages li[data-outgoing="true"] .text', { hasText: 'hello from the agent' }),
    );
    await peer.send(cid, 'hello from the peer');
    await shows(
      page,
      page.locator('#messages li[data-outgoing="false"] .text', { hasText: 'hello from the peer' }),
    );

    await page.getByLabel('Message').fill('hello from the browser');
    await page.getByRole('button', { name: 'Send' }).click();
    await shows(page, page.locator('#status', { hasText: /^Sent\.$/ }));

    const mine = await receive(owner, 'hello from the browser');
    assert.equal(mine.message.outgoing, true);
    assert.equal(mine.message.from.deviceId, deviceId);
    const theirs = await receive(peer, 'hello from the browser');
    assert.equal(theirs.message.from.moltbotId, owner.moltbotId);

    await context.close();
    await owner.close();
    await peer.close();
    assert.deepEqual(pageErrors, []);
  });
});
