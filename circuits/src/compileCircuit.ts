import { spawn } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, parse, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import * as snarkjs from 'snarkjs';
import { CircuitsError } from './circuitsError.ts';
import { DEFAULT_BUILD_DIR } from './defaultBuildDir.ts';
import { hashCircuitSources } from './hashCircuitSources.ts';
import { materializeArtifacts } from './materializeArtifacts.ts';
import { packageDir } from './packageDir.ts';
import { acquireProverCurve } from './shutdownProver.ts';

export type CompileCircuitOptions = {
  /** Where `<name>/` is created. Default `circuits/build/`. */
  buildDir?: string | undefined;
  /** Build directory name. Default: the source file name without `.circom`. */
  name?: string;
  /** circom's `--O0/--O1/--O2`. Default 2: far fewer constraints than circom's default `--O1`. */
  optimization?: 0 | 1 | 2;
  /** Extra `-l` include paths, searched before node_modules (which holds circomlib). */
  includePaths?: readonly string[];
  /** Recompile even when the sources are unchanged. */
  force?: boolean | undefined;
};

export type CompiledCircuit = {
  name: string;
  sourcePath: string;
  /** `<buildDir>/<name>/`; also holds this circuit's ceremony directories. */
  dir: string;
  r1csPath: string;
  wasmPath: string;
  symPath: string;
  /** sha256 of the compiler version, flags and all source files (see hashCircuitSources). */
  sourceHash: string;
  constraints: number;
  wires: number;
  publicInputs: number;
  privateInputs: number;
  outputs: number;
  /** True when the sources were unchanged and the previous build was reused. */
  cached: boolean;
};

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Compiles a circom file with circom2 (the WASM build of circom 2.2.3) into
 * `<buildDir>/<name>/`: `<file>.r1cs`, `<file>.sym` and `<file>_js/<file>.wasm`. Skips the
 * compiler when the hash of the sources (the file and everything it includes, transitively),
 * the compiler version and the flags matches the build directory's manifest.
 *
 * @throws CircuitsError `circuits.source_not_found`, `circuits.invalid_option`,
 *   `circuits.compile_failed` (with the compiler's output as `details`).
 */
export async function compileCircuit(
  sourcePath: string,
  options: CompileCircuitOptions = {},
): Promise<CompiledCircuit> {
  const source = resolve(sourcePath);
  const file = basename(source, '.circom');
  const name = options.name ?? file;
  if (!NAME.test(name)) {
    throw new CircuitsError(
      'circuits.invalid_option',
      `Invalid circuit name ${JSON.stringify(name)}.`,
    );
  }
  try {
    await access(source);
  } catch (cause) {
    throw new CircuitsError('circuits.source_not_found', `No circuit at ${source}.`, { cause });
  }
  const optimization = options.optimization ?? 2;
  const includePaths = [
    ...(options.includePaths ?? []).map((p) => resolve(p)),
    dirname(packageDir('circomlib')),
  ];
  const compiler = await compilerInfo();
  const sources = await hashCircuitSources(
    source,
    includePaths,
    `circom2@${compiler.version} --O${optimization}`,
  );
  const r1csFile = `${file}.r1cs`;
  const symFile = `${file}.sym`;
  const wasmFile = `${file}_js/${file}.wasm`;

  const built = await materializeArtifacts({
    dir: join(resolve(options.buildDir ?? DEFAULT_BUILD_DIR), name),
    kind: 'circom',
    key: sources.hash,
    inputs: { source, compiler: `circom2@${compiler.version}`, optimization },
    force: options.force,
    produce: async (workDir) => {
      const args = ['--r1cs', '--wasm', '--sym', `--O${optimization}`];
      for (const path of includePaths) args.push('-l', path);
      await runCircom(compiler.cli, [source, ...args, '-o', workDir], source);
      // Lets the generated CommonJS generate_witness.js run inside this "type": "module" package.
      await writeFile(join(workDir, `${file}_js`, 'package.json'), '{ "type": "commonjs" }\n');
      await acquireProverCurve(); // r1cs.info builds the curve; see shutdownProver.ts
      const info = await snarkjs.r1cs.info(join(workDir, r1csFile));
      return {
        files: [r1csFile, symFile, wasmFile],
        metadata: {
          constraints: info.nConstraints,
          wires: info.nVars,
          publicInputs: info.nPubInputs,
          privateInputs: info.nPrvInputs,
          outputs: info.nOutputs,
        },
      };
    },
  });

  const meta = built.manifest.metadata;
  return {
    name,
    sourcePath: source,
    dir: built.dir,
    r1csPath: join(built.dir, r1csFile),
    symPath: join(built.dir, symFile),
    wasmPath: join(built.dir, wasmFile),
    sourceHash: sources.hash,
    constraints: Number(meta.constraints),
    wires: Number(meta.wires),
    publicInputs: Number(meta.publicInputs),
    privateInputs: Number(meta.privateInputs),
    outputs: Number(meta.outputs),
    cached: built.cached,
  };
}

async function compilerInfo(): Promise<{ cli: string; version: string }> {
  const dir = packageDir('circom2');
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
    version: string;
    bin: { circom2: string };
  };
  return { cli: join(dir, pkg.bin.circom2), version: pkg.version };
}

/**
 * Runs circom2's CLI under the current Node binary. circom2 maps every path argument to a path
 * relative to its working directory, and its WASI file system cannot follow `..` in include
 * paths, so it runs from the file system root and gets absolute paths only.
 */
function runCircom(cli: string, args: readonly string[], source: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: parse(source).root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', (cause) => {
      fail(new CircuitsError('circuits.compile_failed', 'Could not start circom2.', { cause }));
    });
    child.on('close', (code) => {
      if (code === 0) return done();
      const text = stripVTControlCharacters(output).trim();
      const first = text.split('\n').find((line) => line.startsWith('error')) ?? `exit ${code}`;
      fail(
        new CircuitsError('circuits.compile_failed', `circom failed on ${source}: ${first}`, {
          details: text,
        }),
      );
    });
  });
}
