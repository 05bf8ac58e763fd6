/** Test helpers: raw JSON-RPC calls against a node, as any client would make them. */
export async function rpcRaw(
  url: string,
  body: string | object,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text.length > 0 ? JSON.parse(text) : null };
}

export async function rpcCall(url: string, method: string, params: unknown[]): Promise<unknown> {
  const { json } = await rpcRaw(url, { jsonrpc: '2.0', id: 1, method, params });
  const r = json as { result?: unknown; error?: { message: string } };
  if (r.error !== undefined) throw new Error(`${method}: ${r.error.message}`);
  return r.result;
}

/** Polls getSlot until the node has stored `slot` (no timing assertion: it just waits). */
export async function waitForSlot(url: string, slot: number): Promise<void> {
  for (;;) {
    const s = (await rpcCall(url, 'getSlot', [])) as number | null;
    if (s !== null && s >= slot) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
