import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256File } from '../../src/artifactManifest.ts';
import {
  MEMBERSHIP_CEREMONY_DIR,
  MEMBERSHIP_ZKEY_FILE,
  REPOSITORY_DIR,
} from '../../src/membershipArtifacts.ts';
import { formatSolidity } from './formatSolidity.ts';
import { renderMembershipVerifier } from './renderMembershipVerifier.ts';
import { renderPoseidonT3 } from './renderPoseidonT3.ts';

/** Repository-relative paths of the Solidity files circuits/ generates. */
export const GENERATED_CONTRACTS = {
  verifier: 'contracts/verifiers/MembershipVerifier.sol',
  poseidon: 'contracts/privacy/PoseidonT3.sol',
} as const;

export type GeneratedContract = { path: string; text: string };

/**
 * What the generated contracts must contain, formatted as `npm run lint` checks them: the
 * verifier of the zkey in `ceremonyDir` (the checked-in one by default) and PoseidonT3.
 */
export async function renderGeneratedContracts(
  ceremonyDir: string = MEMBERSHIP_CEREMONY_DIR,
): Promise<GeneratedContract[]> {
  const zkeyPath = join(ceremonyDir, MEMBERSHIP_ZKEY_FILE);
  const verifier = await renderMembershipVerifier(zkeyPath, await sha256File(zkeyPath));
  return [
    { path: GENERATED_CONTRACTS.verifier, text: await formatSolidity(verifier) },
    { path: GENERATED_CONTRACTS.poseidon, text: await formatSolidity(renderPoseidonT3()) },
  ];
}

export async function writeGeneratedContracts(
  contracts: readonly GeneratedContract[],
): Promise<void> {
  for (const c of contracts) await writeFile(join(REPOSITORY_DIR, c.path), c.text);
}

/**
 * The generated contracts whose checked-in text differs from a fresh rendering (the drift
 * check): empty when everything is up to date.
 */
export async function driftedContracts(contracts: readonly GeneratedContract[]): Promise<string[]> {
  const drifted: string[] = [];
  for (const c of contracts) {
    let current: string | undefined;
    try {
      current = await readFile(join(REPOSITORY_DIR, c.path), 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== c.text) drifted.push(c.path);
  }
  return drifted;
}
