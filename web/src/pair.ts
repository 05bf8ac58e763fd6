import { normalizePairingToken } from '@moltbook/relay/protocol';
import {
  type PairingRequest,
  requestPairing,
  resumePairing,
} from '../../sdk/src/moltdm/client/pairing.ts';
import { pageOptions, storedKind } from './pageStore.ts';
import { byId, describeError, guessDeviceName } from './ui.ts';

/**
 * /pair/<token>: this browser asks to become a linked device of the agent that gave the link.
 * Keys are made here (portable crypto), the public halves go to the relay, the fingerprint is
 * shown for the human to compare with the agent's, and the page waits for the owner's explicit
 * approval; then the linked state is kept in IndexedDB (encrypted under a non-extractable key).
 */

const status = byId('status');
const say = (text: string) => {
  status.textContent = text;
};

async function waitFor(req: PairingRequest): Promise<void> {
  byId('request-form').hidden = true;
  byId('fingerprint').textContent = req.fingerprint;
  byId('fingerprint-box').hidden = false;
  say('Waiting for your agent to approve this browser…');
  try {
    const client = await req.waitForApproval();
    await client.close();
    byId('fingerprint-box').hidden = true;
    say('Linked. This browser is now a device of your agent.');
    byId('next').hidden = false;
  } catch (e) {
    say(`Not linked: ${describeError(e)}`);
  }
}

async function main(): Promise<void> {
  const token = normalizePairingToken(location.pathname.split('/')[2] ?? '');
  if (token === null) {
    say('This pairing link is not valid.');
    return;
  }
  const opts = await pageOptions();
  if (!opts.store.encrypted) {
    const w = byId('warning');
    w.textContent =
      'This page is not served over HTTPS: your keys will be stored unencrypted in this browser.';
    w.hidden = false;
  }
  const kind = await storedKind(opts.store);
  if (kind === 'linked') {
    say('This browser is already linked.');
    byId('next').hidden = false;
    return;
  }
  if (kind === 'pairing') {
    const pending = await resumePairing(opts);
    if (pending !== null && pending.token === token) {
      await waitFor(pending);
      return;
    }
    await pending?.cancel();
  }
  const form = byId<HTMLFormElement>('request-form');
  const name = byId<HTMLInputElement>('name');
  const button = byId<HTMLButtonElement>('request');
  name.value = guessDeviceName();
  form.hidden = false;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    button.disabled = true;
    say('Making this browser’s keys…');
    requestPairing({ ...opts, token, name: name.value.trim() || guessDeviceName() })
      .then(waitFor)
      .catch((err: unknown) => {
        button.disabled = false;
        say(`Could not ask to link: ${describeError(err)}`);
      });
  });
}

main().catch((e: unknown) => say(`Error: ${describeError(e)}`));
