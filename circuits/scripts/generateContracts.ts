/**
 * `npm run generate -w @moltbook/circuits [-- --check]` — rewrites the Solidity that circuits/
 * generates: contracts/verifiers/MembershipVerifier.sol (snarkjs, from the checked-in zkey) and
 * contracts/privacy/PoseidonT3.sol (from poseidon-lite's constants), formatted by `forge fmt`, and
 * the real proof of test/contracts/privacy/MembershipProofFixture.sol when it no longer verifies.
 * With `--check` it writes nothing and exits 1 if a checked-in file differs from what it would
 * write or the fixture does not verify (the drift check; the circuits test suite runs the same).
 */
import { parseArgs } from 'node:util';
import { loadMembershipArtifacts } from '../src/membershipArtifacts.ts';
import { shutdownProver } from '../src/shutdownProver.ts';
import {
  driftedContracts,
  renderGeneratedContracts,
  writeGeneratedContracts,
} from './lib/generatedContracts.ts';
import {
  checkMembershipProofFixture,
  MEMBERSHIP_PROOF_FIXTURE,
  renderMembershipProofFixture,
} from './lib/membershipProofFixture.ts';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
try {
  const contracts = await renderGeneratedContracts();
  const drifted = await driftedContracts(contracts);
  const artifacts = await loadMembershipArtifacts();
  const fixtureHolds = await checkMembershipProofFixture(artifacts);
  if (values.check) {
    if (!fixtureHolds) drifted.push(`${MEMBERSHIP_PROOF_FIXTURE} (its proof does not verify)`);
    if (drifted.length > 0) {
      process.exitCode = 1;
      console.error(
        `generated files drifted: ${drifted.join(', ')}\nrun \`npm run generate -w @moltbook/circuits\``,
      );
    } else {
      console.log('generated files: up to date');
    }
  } else {
    await writeGeneratedContracts(contracts);
    if (!fixtureHolds) {
      await writeGeneratedContracts([await renderMembershipProofFixture(artifacts)]);
      drifted.push(MEMBERSHIP_PROOF_FIXTURE);
    }
    console.log(
      drifted.length > 0 ? `rewrote ${drifted.join(', ')}` : 'generated files: already up to date',
    );
  }
} catch (err) {
  process.exitCode = 1;
  console.error(err);
} finally {
  await shutdownProver();
}
