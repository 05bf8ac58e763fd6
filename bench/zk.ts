/**
 * `npm run bench zk` — the §6.2 membership proof (DESIGN.md §7 goals: ≤ 6,431 constraints at depth
 * ≥ 20, proving ≤ 1 s here, validateProof ≤ 250 k gas), beside Semaphore v4's figures (the
 * reference the issue names: 6,431 constraints, ~289 k gas for validateProof):
 *
 *   - constraints of circuits/membership.circom at depth 20;
 *   - proving time with the checked-in keys (witness + Groth16 prove, snarkjs, median of PROOFS
 *     after one warm-up), and verification time per proof in TypeScript (snarkjs, what a node does);
 *   - gas on the in-process L2 (op): validateProof with the nullifier's storage, as the receipt's
 *     gasUsed (intrinsic 21,000 + calldata included, as Semaphore's figure is), its parts, the
 *     cost of adding members (alone and in a batch) and of removing a retired one.
 */
import { fileURLToPath } from 'node:url';
import {
  createMembershipProof,
  LeanImt,
  loadMembershipArtifacts,
  type MembershipProof,
  shutdownProver,
  verifyMembershipProof,
  zkIdentity,
} from '@moltbook/circuits';
import { createHardhatRuntimeEnvironment } from 'hardhat/hre';
import { encodeFunctionData, getAddress, type Hex, hexToBytes } from 'viem';
import hardhatConfig from '../hardhat.config.ts';
import {
  deployAnonymitySet,
  toMembershipProofStruct,
} from '../test/contracts/privacy/anonymitySetFixture.ts';
import { createReporter, median } from './lib/report.ts';

const PROOFS = 7;
const VERIFICATIONS = 25;
const MEMBERS = 64;
const SEMAPHORE_V4 = { constraints: 6431, validateProofGas: 289_000 };
const GOALS = { constraints: 6431, proveMs: 1000, validateProofGas: 250_000 };

const report = createReporter();
const params = { depth: 20, curve: 'bn128', prover: 'snarkjs 0.7.6' };

// ------------------------------------------------------------------ circuit and proving

const artifacts = await loadMembershipArtifacts();
const secrets = Array.from({ length: MEMBERS }, (_, i) => BigInt(i + 1) * 1_000_003n);
const tree = new LeanImt(secrets.map((s) => zkIdentity(s).commitment));

report.emit({
  name: 'zk.membership.constraints',
  value: artifacts.circuit.constraints,
  unit: 'constraints',
  params: { depth: 20, goal: GOALS.constraints },
});

const proveOnce = async (i: number): Promise<[number, MembershipProof]> => {
  const started = performance.now();
  const proof = await createMembershipProof(
    { secret: secrets[i % MEMBERS] as bigint, tree, scope: BigInt(i), message: BigInt(1000 + i) },
    { artifacts },
  );
  return [performance.now() - started, proof];
};
const [coldMs] = await proveOnce(0);
const proveTimes: number[] = [];
const proofs: MembershipProof[] = [];
for (let i = 1; i <= PROOFS; i++) {
  const [ms, proof] = await proveOnce(i);
  proveTimes.push(ms);
  proofs.push(proof);
}
report.emit({
  name: 'zk.membership.prove_ms',
  value: round(median(proveTimes)),
  unit: 'ms',
  params: { ...params, runs: PROOFS, goal: GOALS.proveMs },
});
report.emit({
  name: 'zk.membership.prove_ms.first',
  value: round(coldMs),
  unit: 'ms',
  params: { ...params, note: 'worker threads and curve start' },
});

const verifyTimes: number[] = [];
for (let i = 0; i < VERIFICATIONS; i++) {
  const proof = proofs[i % proofs.length] as MembershipProof;
  const started = performance.now();
  const result = await verifyMembershipProof(
    proof.proof,
    proof.publicSignals,
    artifacts.verificationKey,
  );
  verifyTimes.push(performance.now() - started);
  if (result.kind !== 'valid')
    throw new Error(`bench proof did not verify: ${JSON.stringify(result)}`);
}
report.emit({
  name: 'zk.membership.verify_ms',
  value: round(median(verifyTimes)),
  unit: 'ms',
  params: { ...params, runs: VERIFICATIONS },
});
await shutdownProver();

// ------------------------------------------------------------------ gas on the L2

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const hre = await createHardhatRuntimeEnvironment(hardhatConfig, {}, ROOT);
await hre.tasks.getTask('build').run({ quiet: true, noTests: true });
const connection = await hre.network.create('op');
const lookup = await connection.viem.deployContract('IdentityStatusForTests');
for (let id = 1n; id <= BigInt(MEMBERS) + 1n; id++) {
  await lookup.write.setIdentity([
    getAddress(`0x${(0x1000n + id).toString(16).padStart(40, '0')}`),
    id,
    true,
  ]);
}
const zk = await deployAnonymitySet(connection, { identities: lookup.address });
const gasOf = async (hash: Promise<Hex>) =>
  Number((await zk.publicClient.waitForTransactionReceipt({ hash: await hash })).gasUsed);

// Members: one alone, then a batch (the registrar's steady state), then the rest.
const ids = secrets.map((_, i) => BigInt(i + 1));
const commitments = tree.leaves;
const first = Number((await zk.addMembers(ids.slice(0, 1), commitments.slice(0, 1))).gasUsed);
const batch = Number((await zk.addMembers(ids.slice(1, 33), commitments.slice(1, 33))).gasUsed);
const single = Number((await zk.addMembers(ids.slice(33, 34), commitments.slice(33, 34))).gasUsed);
await zk.addMembers(ids.slice(34), commitments.slice(34));
if ((await zk.set.read.root()) !== tree.root)
  throw new Error('the contract and the TypeScript tree disagree');

const poseidonGas =
  Number(
    await zk.publicClient.estimateGas({
      to: zk.hasher.address,
      data: encodeFunctionData({
        abi: zk.hasher.abi,
        functionName: 'hash',
        args: [tree.leaves[0] as bigint, tree.leaves[1] as bigint],
      }),
    }),
  ) -
  intrinsicGas(
    encodeFunctionData({
      abi: zk.hasher.abi,
      functionName: 'hash',
      args: [tree.leaves[0] as bigint, tree.leaves[1] as bigint],
    }),
  );

const structs = proofs.map(toMembershipProofStruct);
const validateData = encodeFunctionData({
  abi: zk.set.abi,
  functionName: 'validateProof',
  args: [structs[0] as never],
});
const validateGas: number[] = [];
for (const struct of structs) validateGas.push(await gasOf(zk.set.write.validateProof([struct])));
const verifierData = encodeFunctionData({
  abi: zk.verifier.abi,
  functionName: 'verifyProof',
  args: verifierArgs(structs[0] as ReturnType<typeof toMembershipProofStruct>),
});
const verifierTx = Number(
  await zk.publicClient.estimateGas({ to: zk.verifier.address, data: verifierData }),
);

// Removal of a retired member: two Poseidons per level of the path.
await lookup.write.retire([10n]);
const removeGas = await gasOf(
  zk.set.write.removeMember([
    10n,
    tree.leaves[9] as bigint,
    tree.generateProof(9).siblings.filter((x): x is bigint => x !== undefined),
  ]),
);
tree.update(9, 0n);
if ((await zk.set.read.root()) !== tree.root)
  throw new Error('removal: the contract and the TypeScript tree disagree');

const validate = median(validateGas);
const intrinsic = intrinsicGas(validateData);
report.emit({
  name: 'zk.gas.validateProof',
  value: validate,
  unit: 'gas',
  params: {
    chain: 'op',
    includes: 'intrinsic+calldata+nullifier SSTORE',
    goal: GOALS.validateProofGas,
    proofs: structs.length,
  },
});
report.emit({
  name: 'zk.gas.validateProof.execution',
  value: validate - intrinsic,
  unit: 'gas',
  params: { chain: 'op', excludes: `intrinsic+calldata (${intrinsic})` },
});
report.emit({
  name: 'zk.gas.verifier.verifyProof',
  value: verifierTx - intrinsicGas(verifierData),
  unit: 'gas',
  params: { chain: 'op', what: 'generated verifier alone, execution' },
});
report.emit({
  name: 'zk.gas.addMembers.first',
  value: first,
  unit: 'gas',
  params: { chain: 'op', members: 1 },
});
report.emit({
  name: 'zk.gas.addMembers.one',
  value: single,
  unit: 'gas',
  params: { chain: 'op', members: 1, treeSize: 33 },
});
report.emit({
  name: 'zk.gas.addMembers.batch_per_member',
  value: Math.round(batch / 32),
  unit: 'gas',
  params: { chain: 'op', members: 32, batchGas: batch },
});
report.emit({
  name: 'zk.gas.removeMember',
  value: removeGas,
  unit: 'gas',
  params: { chain: 'op', members: MEMBERS, depth: tree.depth, hashes: 2 * tree.depth },
});
report.emit({
  name: 'zk.gas.poseidonT3',
  value: poseidonGas,
  unit: 'gas',
  params: { chain: 'op', what: 'one hash, execution' },
});

// ------------------------------------------------------------------ goals and Semaphore v4

report.emit({
  name: 'zk.goal.constraints_met',
  value: artifacts.circuit.constraints <= GOALS.constraints ? 1 : 0,
  unit: 'bool',
  params: { goal: GOALS.constraints },
});
report.emit({
  name: 'zk.goal.prove_met',
  value: median(proveTimes) <= GOALS.proveMs ? 1 : 0,
  unit: 'bool',
  params: { goal_ms: GOALS.proveMs },
});
report.emit({
  name: 'zk.goal.validateProof_gas_met',
  value: validate <= GOALS.validateProofGas ? 1 : 0,
  unit: 'bool',
  params: { goal: GOALS.validateProofGas },
});
report.emit({
  name: 'zk.vs_semaphore_v4.constraints',
  value: round(artifacts.circuit.constraints / SEMAPHORE_V4.constraints, 3),
  unit: 'ratio',
  params: { semaphore: SEMAPHORE_V4.constraints },
});
report.emit({
  name: 'zk.vs_semaphore_v4.validateProof_gas',
  value: round(validate / SEMAPHORE_V4.validateProofGas, 3),
  unit: 'ratio',
  params: { semaphore: SEMAPHORE_V4.validateProofGas },
});
report.table(
  '§6.2 membership proof (DESIGN.md §7: ≤ 6,431 constraints, prove ≤ 1 s, validateProof ≤ 250 k gas)',
);

function round(x: number, digits = 1): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

/** 21,000 + EIP-2028 calldata (16 per nonzero byte, 4 per zero byte). */
function intrinsicGas(data: Hex): number {
  return 21_000 + hexToBytes(data).reduce((sum, b) => sum + (b === 0 ? 4 : 16), 0);
}

function verifierArgs(s: ReturnType<typeof toMembershipProofStruct>) {
  const [a0, a1, b00, b01, b10, b11, c0, c1] = s.points;
  return [
    [a0, a1],
    [
      [b00, b01],
      [b10, b11],
    ],
    [c0, c1],
    [s.root, s.nullifier, s.scope, s.message],
  ] as const;
}
