/**
 * `npm run bench gas [-- --update]` — gas of the L2 calls issue 3 names, on the L2 chain type
 * (op: RIP-7212 P-256 precompile), and of the identity calls also on l1 osaka (EIP-7951: the
 * precompile at twice the price) and l1 prague (no precompile: OpenZeppelin's Solidity fallback),
 * side by side. `--update` rewrites test/contracts/gas/gas-snapshot.json (op figures), which the
 * contract tests compare against.
 */
import { fileURLToPath } from 'node:url';
import { createHardhatRuntimeEnvironment } from 'hardhat/hre';
import hardhatConfig from '../hardhat.config.ts';
import {
  compareGas,
  readGasSnapshot,
  writeGasSnapshot,
} from '../test/contracts/gas/gasSnapshot.ts';
import { measureContractGas } from '../test/contracts/gas/measureContractGas.ts';
import { measureIdentityGas } from '../test/contracts/helpers/identityFixture.ts';
import { createReporter } from './lib/report.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const hre = await createHardhatRuntimeEnvironment(hardhatConfig, {}, ROOT);
await hre.tasks.getTask('build').run({ quiet: true, noTests: true });

const op = await measureContractGas(await hre.network.create('op'));
const osaka = await measureIdentityGas(await hre.network.create('l1'));
const fallback = await measureContractGas(
  await hre.network.create({ network: 'l1', override: { hardfork: 'prague' } }),
);

const report = createReporter();
for (const [name, gas] of Object.entries(op)) {
  report.emit({
    name: `gas.${name}`,
    value: gas,
    unit: 'gas',
    params: { chain: 'op', p256: 'precompile' },
  });
}
for (const [name, gas] of Object.entries(osaka)) {
  report.emit({
    name: `gas.identity.${name}`,
    value: Number(gas),
    unit: 'gas',
    params: { chain: 'l1-osaka', p256: 'precompile-eip7951' },
  });
}
for (const [name, gas] of Object.entries(fallback)) {
  if (!name.startsWith('identity.')) continue; // only identity calls verify P-256
  report.emit({
    name: `gas.${name}`,
    value: gas,
    unit: 'gas',
    params: { chain: 'l1-prague', p256: 'solidity' },
  });
}
const register = op['identity.register'] ?? Number.NaN;
report.emit({
  name: 'gas.identity.register.goal_150k_met',
  value: register <= 150_000 ? 1 : 0,
  unit: 'bool',
  params: { goal: 150_000 },
});
report.table('L2 contract gas (DESIGN.md §7: register identity ≤ 150 k with the P-256 precompile)');

if (process.argv.includes('--update')) {
  writeGasSnapshot(op);
  process.stdout.write('\nwrote test/contracts/gas/gas-snapshot.json\n');
} else {
  const diff = compareGas(readGasSnapshot(), op);
  process.stdout.write(
    diff.length === 0 ? '\nsnapshot: unchanged\n' : `\nsnapshot differs:\n${diff.join('\n')}\n`,
  );
}
