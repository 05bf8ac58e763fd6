import type { Address } from 'viem';
import type { LocalL2 } from './startLocalL2.ts';

export interface Registrar {
  /** Mirrors what is new now (also runs every `pollMs`); resolves with the members added. */
  sync(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The registrar of §6.2 (docs/privacy.md "Registrar"): it reads the IdentityRegistry's
 * `IdentityRegistered` events and adds each new identity's ZK commitment to the AnonymitySet,
 * in identity order, one batch per poll (`addMembers` hashes the batch's path once). Holds
 * REGISTRAR_ROLE (account 0 on the local network). A trusted role for now: the set checks that
 * each identity is active, not that the commitment is the registered one — docs/privacy.md says
 * how a running commitment hash in the registry removes that trust.
 */
export function startRegistrar(
  l2: LocalL2,
  opts: { readonly pollMs?: number; readonly log?: (line: string) => void } = {},
): Registrar {
  const registryAddress = l2.contracts.IdentityRegistry as Address | undefined;
  const setAddress = l2.contracts.AnonymitySet as Address | undefined;
  if (registryAddress === undefined || setAddress === undefined)
    throw new Error('the local L2 has no IdentityRegistry or AnonymitySet deployed');
  let fromBlock = 0n;
  let stopped = false;
  let running: Promise<number> | null = null;
  let timer: NodeJS.Timeout | null = null;

  async function once(): Promise<number> {
    const publicClient = await l2.viem.getPublicClient();
    const registry = await l2.viem.getContractAt('IdentityRegistry', registryAddress as Address);
    const set = await l2.viem.getContractAt('AnonymitySet', setAddress as Address);
    const head = await publicClient.getBlockNumber();
    if (head < fromBlock) return 0;
    const logs = await publicClient.getContractEvents({
      address: registry.address,
      abi: registry.abi,
      eventName: 'IdentityRegistered',
      fromBlock,
      toBlock: head,
    });
    const fresh: { id: bigint; commitment: bigint }[] = [];
    for (const l of logs) {
      const id = l.args.identityId as bigint;
      const [member] = await set.read.leafOf([id]);
      if (!member) fresh.push({ id, commitment: l.args.zkCommitment as bigint });
    }
    fresh.sort((a, b) => (a.id < b.id ? -1 : 1));
    if (fresh.length > 0) {
      const hash = await set.write.addMembers([
        fresh.map((f) => f.id),
        fresh.map((f) => f.commitment),
      ]);
      await publicClient.waitForTransactionReceipt({ hash });
      opts.log?.(
        `registrar: added identit${fresh.length === 1 ? 'y' : 'ies'} ${fresh.map((f) => f.id).join(', ')} to the anonymity set`,
      );
    }
    fromBlock = head + 1n;
    return fresh.length;
  }

  function sync(): Promise<number> {
    running ??= once().finally(() => {
      running = null;
    });
    return running;
  }

  const tick = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      sync()
        .catch((err: unknown) => opts.log?.(`registrar: ${(err as Error).message.split('\n')[0]}`))
        .finally(tick);
    }, opts.pollMs ?? 1_000);
  };
  tick();

  return {
    sync,
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}
