import { createRequire } from 'node:module';
import hardhatToolboxViem from '@nomicfoundation/hardhat-toolbox-viem';
import { defineConfig } from 'hardhat/config';

const require = createRequire(import.meta.url);

/**
 * The compiler is the solcjs build shipped in the npm `solc` package, given by path so Hardhat
 * never tries to download a compiler list or binary (there is no internet here besides npm).
 * forge uses the same package through scripts/solc-offline.mjs, so both tools compile with one
 * compiler and one set of settings (keep foundry.toml in step).
 */
export const SOLC_VERSION = '0.8.37';

/**
 * One bytecode for both chains: the L2 is an OP-Stack chain whose newest hardfork, isthmus, has
 * the prague EVM, so we target `prague`. solc 0.8.37 defaults to `osaka`, whose CLZ opcode
 * would be an invalid instruction on isthmus; prague code runs unchanged on l1 osaka. Both test
 * chains still expose a P-256 verifier at 0x100 (EIP-7951 on osaka, RIP-7212 on isthmus); that
 * is a precompile, not an opcode, so the evmVersion does not gate it.
 */
export const EVM_VERSION = 'prague';

// Tells the types what `defaultChainType` below tells Hardhat: connections that do not name a chain
// type (`network.create()`) are OP-Stack ones.
declare module 'hardhat/types/network' {
  interface ChainTypeConfig {
    defaultChainType: 'op';
  }
}

export default defineConfig({
  plugins: [hardhatToolboxViem],
  solidity: {
    version: SOLC_VERSION,
    path: require.resolve('solc/soljson.js'),
    settings: {
      evmVersion: EVM_VERSION,
      optimizer: { enabled: true, runs: 200 },
    },
  },
  paths: {
    sources: 'contracts',
    ignition: 'deploy/ignition',
    tests: {
      nodejs: 'test/contracts',
      // forge runs our Solidity tests (test/contracts/**/*.t.sol, with our own minimal test
      // base). Hardhat treats every .sol under its Solidity test path as a test to compile and
      // run, so it points at a directory that holds none, and `hardhat build`/`hardhat test`
      // leave the forge files to forge.
      solidity: 'test/hardhat-solidity',
    },
  },
  defaultChainType: 'op',
  networks: {
    // `network.create()` without a name: the L2 we deploy to.
    default: { type: 'edr-simulated', chainType: 'op', hardfork: 'isthmus' },
    op: { type: 'edr-simulated', chainType: 'op', hardfork: 'isthmus' },
    l1: { type: 'edr-simulated', chainType: 'l1', hardfork: 'osaka' },
  },
});
