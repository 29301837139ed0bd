// Runs each piece of the bundle and keeps what it printed, its exit status and
// its stderr. A piece that fails is a result like any other: nothing here
// throws past one piece, so one broken tool never stops the rest.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandResult } from '../../effects/exec/command-result.ts';
import { describeResult, TOOL_BINARIES } from '../../effects/exec/command-result.ts';
import { runReadOnly } from '../../effects/exec/run-read-only.ts';
import type { RecordPaths } from '../../effects/records/paths.ts';
import type { ToolPaths } from '../../schemas/config.ts';
import { describeError } from '../../shared/describe-error.ts';
import { paint } from '../color.ts';
import type { Io } from '../io.ts';
import type { Piece, Source } from './pieces.ts';

export interface PieceResult {
  readonly file: string;
  readonly what: string;
  /** the command line or the file it copies */
  readonly from: string;
  /** null: it was a file, or the program did not exit by itself (see note) */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly stderr: string;
  /** why it is empty or partial, for people */
  readonly note: string | null;
  readonly content: Buffer;
  readonly asUser?: string;
}

export interface CollectContext {
  readonly paths: RecordPaths;
  readonly env: NodeJS.ProcessEnv;
  readonly tools: ToolPaths | undefined;
  /** the --config the operator gave, passed on to each verb */
  readonly configOption: string | undefined;
  /** `mode <argv>`, in this process (the real cli/main.ts); a parameter to keep the import cycle out */
  readonly runVerb: (argv: readonly string[], io: Io) => Promise<number>;
}

type Body = Omit<PieceResult, 'file' | 'what' | 'asUser'>;

export async function collectPiece(piece: Piece, ctx: CollectContext): Promise<PieceResult> {
  const started = performance.now();
  let body: Body;
  try {
    body = await collectSource(piece.source, ctx);
  } catch (error) {
    body = { from: describeSource(piece.source, ctx), exitCode: null, signal: null, timedOut: false, durationMs: performance.now() - started, stderr: '', note: `could not be collected: ${describeError(error)}`, content: Buffer.alloc(0) };
  }
  return { file: piece.file, what: piece.what, ...body, ...(piece.asUser === undefined ? {} : { asUser: piece.asUser }) };
}

function describeSource(source: Source, ctx: CollectContext): string {
  switch (source.kind) {
    case 'verb':
      return ['mode', ...source.argv].join(' ');
    case 'runtime-file':
      return join(ctx.paths.runtimeDir, source.name);
    case 'config-file':
      return ctx.paths.configPath;
    case 'program':
      return [TOOL_BINARIES[source.tool], ...source.args].join(' ');
  }
}

async function collectSource(source: Source, ctx: CollectContext): Promise<Body> {
  const started = performance.now();
  const from = describeSource(source, ctx);
  const took = () => Math.round(performance.now() - started);
  switch (source.kind) {
    case 'verb': {
      let out = '';
      let err = '';
      const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), paint: paint(false), paintErr: paint(false), env: ctx.env, stdin: process.stdin, interactive: false };
      const argv = ctx.configOption === undefined ? source.argv : [...source.argv, '--config', ctx.configOption];
      const exitCode = await ctx.runVerb(argv, io);
      return { from, exitCode, signal: null, timedOut: false, durationMs: took(), stderr: err, note: null, content: Buffer.from(out) };
    }
    case 'runtime-file':
    case 'config-file': {
      try {
        return { from, exitCode: null, signal: null, timedOut: false, durationMs: took(), stderr: '', note: null, content: await readFile(from) };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const note = code === 'ENOENT' ? `${from} does not exist (not written yet on this boot)` : code === 'EACCES' ? `${from} is not readable by this user` : `${from} could not be read: ${describeError(error)}`;
        return { from, exitCode: null, signal: null, timedOut: false, durationMs: took(), stderr: '', note, content: Buffer.alloc(0) };
      }
    }
    case 'program': {
      const result = await runReadOnly({ tool: source.tool, args: source.args, timeoutMs: source.timeoutMs, tools: ctx.tools, env: ctx.env });
      return fromResult(result, took());
    }
  }
}

/** `from` is the command as run, with the program's resolved path (or the name that was not found). */
function fromResult(result: CommandResult, durationMs: number): Body {
  const base = { from: result.evidence.argv.join(' '), durationMs, signal: null, timedOut: false };
  switch (result.kind) {
    case 'ok':
      return { ...base, exitCode: 0, stderr: result.stderr, note: null, content: Buffer.from(result.stdout) };
    case 'failed':
      return { ...base, exitCode: result.exitCode, signal: result.signal, stderr: result.stderr, note: result.exitCode === null ? describeResult(result) : null, content: Buffer.from(result.stdout) };
    case 'timed-out':
      return { ...base, exitCode: null, timedOut: true, stderr: result.stderr, note: describeResult(result), content: Buffer.from(result.stdout) };
    case 'missing-tool':
    case 'canceled':
      return { ...base, exitCode: null, stderr: '', note: describeResult(result), content: Buffer.alloc(0) };
  }
}
