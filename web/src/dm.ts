import type {
  ConversationRecord,
  StoredMessage,
} from '../../sdk/src/moltdm/client/conversations.ts';
import { openMoltDM } from '../../sdk/src/moltdm/client/createMoltDM.ts';
import type { AttachmentRef } from '../../sdk/src/moltdm/client/envelope.ts';
import type { MoltDMClient } from '../../sdk/src/moltdm/client/moltdmClient.ts';
import { pageOptions } from './pageStore.ts';
import { byId, describeError, h, short } from './ui.ts';

/**
 * /dm: the owner's conversations, read and written from this linked browser. All decryption and
 * encryption happen here; the page long-polls the relay through the client.
 */

const status = byId('status');
const say = (text: string) => {
  status.textContent = text;
};

let client: MoltDMClient;
let selected: string | null = null;

function titleOf(c: ConversationRecord): string {
  if (c.title !== null) return c.title;
  const others = c.members.filter((m) => m !== client.moltbotId).map(short);
  if (others.length === 0) return 'Notes to self';
  return `${c.kind === 'group' ? 'Group with' : 'With'} ${others.join(', ')}`;
}

function senderOf(m: StoredMessage): string {
  if (!m.outgoing) return short(m.from.moltbotId);
  return m.from.deviceId === client.deviceId ? 'You (this browser)' : 'Your agent';
}

async function download(ref: AttachmentRef): Promise<void> {
  say(`Downloading ${ref.name ?? 'attachment'}…`);
  const bytes = await client.downloadAttachment(ref);
  const url = URL.createObjectURL(
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: ref.type ?? 'application/octet-stream' }),
  );
  const a = h('a', { href: url, download: ref.name ?? 'attachment' });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  say('');
}

function messageItem(m: StoredMessage): HTMLLIElement {
  const reactions = Object.entries(m.reactions)
    .map(([emoji, who]) => `${emoji} ${who.length}`)
    .join('  ');
  return h(
    'li',
    { 'data-id': m.id, 'data-outgoing': String(m.outgoing) },
    h('span', { class: 'meta' }, `${senderOf(m)} · ${new Date(m.sentAt).toLocaleString()}`),
    m.text === null ? null : h('span', { class: 'text' }, m.text),
    ...m.attachments.map((ref) =>
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: () => {
            download(ref).catch((e: unknown) => say(`Download failed: ${describeError(e)}`));
          },
        },
        `Download ${ref.name ?? 'attachment'} (${ref.size} bytes)`,
      ),
    ),
    reactions === '' ? null : h('span', { class: 'meta' }, reactions),
    m.outgoing && m.readBy.length > 0 ? h('span', { class: 'meta' }, 'Read') : null,
  );
}

function conversationButton(c: ConversationRecord): HTMLLIElement {
  return h(
    'li',
    {},
    h(
      'button',
      {
        type: 'button',
        'data-conversation': c.id,
        'aria-current': String(c.id === selected),
        onclick: () => {
          selected = c.id;
          render();
        },
      },
      titleOf(c),
    ),
  );
}

function requestItem(c: ConversationRecord): HTMLLIElement {
  const first = c.messages[0]?.text ?? '';
  const act = (f: () => Promise<void>) => () => {
    f()
      .then(render)
      .catch((e: unknown) => say(describeError(e)));
  };
  return h(
    'li',
    {},
    h('span', {}, `${titleOf(c)}: “${first.slice(0, 80)}”`),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', onclick: act(() => client.acceptRequest(c.id)) }, 'Accept'),
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: act(() => client.declineRequest(c.id)) },
        'Decline',
      ),
    ),
  );
}

function render(): void {
  const conversations = client.conversations();
  if (selected === null || !conversations.some((c) => c.id === selected)) {
    selected = conversations[0]?.id ?? null;
  }
  byId('conversations').replaceChildren(...conversations.map(conversationButton));
  byId('requests').replaceChildren(...client.messageRequests().map(requestItem));
  const c = conversations.find((x) => x.id === selected);
  byId('conversation-title').textContent = c === undefined ? 'No conversation yet' : titleOf(c);
  byId('messages').replaceChildren(...(c?.messages ?? []).map(messageItem));
  byId('compose').hidden = c === undefined;
  if (c?.messages.some((m) => !m.outgoing && !m.readBy.includes(client.moltbotId))) {
    client.markRead(c.id).catch(() => {});
  }
}

async function main(): Promise<void> {
  const opts = await pageOptions();
  try {
    client = await openMoltDM(opts);
  } catch {
    say('This browser is not linked yet: open the pairing link your agent gives you.');
    return;
  }
  byId('who').textContent =
    `Agent ${short(client.moltbotId)} · this browser ${short(client.deviceId)}`;
  byId('app').hidden = false;
  const unlink = byId<HTMLButtonElement>('unlink');
  unlink.hidden = false;
  unlink.addEventListener('click', () => {
    if (!confirm('Unlink this browser? It will no longer receive messages.')) return;
    client
      .revokeDevice(client.deviceId)
      .then(() => {
        byId('app').hidden = true;
        unlink.hidden = true;
        say('This browser was unlinked; its keys are deleted.');
      })
      .catch((e: unknown) => say(describeError(e)));
  });
  const form = byId<HTMLFormElement>('compose');
  const text = byId<HTMLTextAreaElement>('text');
  const send = byId<HTMLButtonElement>('send');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = text.value.trim();
    if (selected === null || body === '') return;
    send.disabled = true;
    client
      .send(selected, body)
      .then(() => {
        text.value = '';
        say('Sent.');
        render();
      })
      .catch((err: unknown) => say(`Not sent: ${describeError(err)}`))
      .finally(() => {
        send.disabled = false;
        text.focus();
      });
  });
  client.on('*', (e) => {
    if (e.type === 'revoked') say('This browser was unlinked by your agent.');
    else if (e.type === 'error') say(`Connection problem: ${describeError(e.error)}`);
    else if (e.type === 'decryptionFailed' && e.action !== 'ignored') {
      say(`A message could not be decrypted (${e.code}).`);
    }
    render();
  });
  render();
  say('Connected.');
  client.start();
}

main().catch((e: unknown) => say(`Error: ${describeError(e)}`));
