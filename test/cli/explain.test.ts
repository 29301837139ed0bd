// `mode explain` predicts what a controller run would do: the same chart, fed
// the same facts. Checked against real runs on the simulated host, and its
// Mermaid and DOT pass mermaid's own parser and Graphviz.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { explainModel } from '../../cli/explain/model.ts';
import { renderExplain } from '../../cli/explain/text.ts';
import { viewOf } from '../../cli/live.ts';
import { paint } from '../../cli/color.ts';
import { controller } from '../../machines/controller.ts';
import { toDot } from '../../machines/render/dot.ts';
import { chartGraph, highlightOf } from '../../machines/render/graph.ts';
import { entered } from '../../machines/render/path.ts';
import { toMermaid } from '../../machines/render/mermaid.ts';
import { runController } from '../../machines/run-controller.ts';
import { Config } from '../../schemas/config.ts';
import { MODES, type Mode } from '../../schemas/modes.ts';
import { DEFAULT_USER_SESSION } from '../../simulation/world.ts';
import { SimulatedHost } from '../../simulation/host.ts';
import { schemaErrors } from './support/schema.ts';

const config = Config.parse(JSON.parse(readFileSync(new URL('../../examples/workstation.config.json', import.meta.url), 'utf8')));
const store = { path: '/var/lib/dubnium/models', exists: true, isDirectory: true, freeBytes: 500 * 1024 ** 3 };

interface World {
  mode: Mode;
  reaper: boolean;
  lowMemory: boolean;
}

function hostFor(world: World): SimulatedHost {
  return new SimulatedHost({
    config,
    mode: world.mode,
    sessions: world.mode === 'compute' ? [] : [DEFAULT_USER_SESSION],
    paths: [store],
    audioProcesses: world.reaper ? [{ pid: 4242, name: 'reaper' }] : [],
    memory: world.lowMemory ? { memTotalKiB: 16_000_000, memAvailableKiB: 1_000_000 } : { memTotalKiB: 64_000_000, memAvailableKiB: 50_000_000 },
  });
}

async function explainOn(world: World, target: Mode) {
  const facts = await hostFor(world).observe();
  return explainModel(viewOf(config, facts, target), target);
}

const worlds = fc.record({ mode: fc.constantFrom(...MODES), reaper: fc.boolean(), lowMemory: fc.boolean() });

describe('mode explain', () => {
  it('shows the way desktop -> compute: guards passed, steps in order, the session that will be lost', async () => {
    const e = await explainOn({ mode: 'desktop', reaper: false, lowMemory: false }, 'compute');
    expect(schemaErrors('cli-explain', e)).toEqual([]);
    expect(e.observed.mode).toBe('desktop');
    expect(e.runNow).toBe('apply');
    const now = e.path.filter((s) => s.when === 'now');
    expect(now[0]?.edge.from).toBe('modeController.observing');
    // The decisive hops, in this order, whatever else the chart checks on the way.
    const decisive: [string, string, string[]][] = [
      ['modeController.classified.sorting', 'modeController.classified.desktop', []],
      ['modeController.classified.desktop', 'modeController.guarding', ['alreadyInTarget']],
      // alice's session is in use: the run warns her first
      ['modeController.guarding', 'modeController.noticing', ['hardGuardFailed']],
    ];
    const positions = decisive.map(([from, to, rejected]) => now.findIndex((s) => s.edge.from === from && s.edge.to === to && rejected.every((g) => s.rejected.includes(g))));
    expect(positions.every((p) => p >= 0), JSON.stringify(now.map((s) => [s.edge.from, s.edge.to, s.rejected]))).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(now[now.length - 1]?.edge.to).toBe('modeController.noticing');
    // then, predicted: the grace passes, a fresh observation decides, the plan applies
    const predicted = e.path.filter((s) => s.when === 'predicted').map((s) => s.edge.to);
    expect(predicted).toContain('modeController.observing');
    expect(predicted).toContain('modeController.writingIntent');
    expect(e.plan.length).toBeGreaterThan(0);
    expect(e.losses.join('\n')).toContain('alice');
    const text = renderExplain(e, paint(false));
    expect(text).toContain('would switch desktop -> compute');
    expect(text).toContain('alreadyInTarget does not hold');
    e.plan.forEach((step, i) => expect(text).toContain(`${String(i + 1).padStart(2)}. ${step.id}:`));
  });

  it('says blocked, and why, when REAPER is running', async () => {
    const e = await explainOn({ mode: 'desktop', reaper: true, lowMemory: false }, 'compute');
    expect(e.runNow).toBe('blocked');
    expect(e.path.find((s) => s.when === 'now' && s.edge.guard === 'hardGuardFailed')?.guardHeld).toBe(true);
    expect(e.guards.verdicts.filter((v) => !v.passed && v.severity === 'hard').map((v) => v.code)).toContain('audio-active');
    expect(e.plan).toEqual([]);
  });

  test.prop([worlds, fc.constantFrom(...MODES)], { numRuns: 40 })('predicts the outcome of a real run on the same machine', async (world, target) => {
    const e = await explainOn(world, target);
    const record = await runController(hostFor(world), target);
    const expected = e.runNow === 'noop' ? ['noop'] : e.runNow === 'blocked' ? ['blocked'] : ['succeeded', 'rolled-back', 'degraded'];
    expect(expected).toContain(record.outcome);
    expect(record.guards?.verdict ?? null).toBe(e.runNow === 'noop' ? null : e.guards.verdict);
  });

  test.prop([worlds, fc.constantFrom(...MODES)], { numRuns: 40 })('is one connected walk from locking to done', async (world, target) => {
    const e = await explainOn(world, target);
    const graph = chartGraph(controller);
    let at = entered(graph, 'modeController.locking');
    for (const step of e.path) {
      const ancestors: string[] = [];
      for (let s: string | null = at; s; s = graph.states.find((x) => x.id === s)?.parent ?? null) ancestors.push(s);
      expect(ancestors).toContain(step.edge.from);
      at = entered(graph, step.edge.to);
    }
    expect(at).toBe('modeController.done');
  });
});

describe('chart renderers', () => {
  const graph = chartGraph(controller);

  it('list every state and every transition, always ones included', () => {
    expect(graph.states.map((s) => s.id)).toContain('modeController.classified.studioLocal');
    const always = graph.edges.filter((e) => e.kind === 'always');
    // blocked goes through settlingWork, where a Slurm node this run drained is resumed, to recording
    expect(always.some((e) => e.guard === 'hardGuardFailed' && e.to === 'modeController.settlingWork')).toBe(true);
    expect(always.some((e) => e.from === 'modeController.settlingWork' && e.guard === 'resumeDue' && e.to === 'modeController.resumingWork')).toBe(true);
    expect(graph.edges.some((e) => e.from === 'modeController.guarding' && e.otherwise && e.to === 'modeController.writingIntent')).toBe(true);
  });

  it('Mermaid passes mermaid.parse, and the parser does reject a broken diagram', async () => {
    const e = await explainOn({ mode: 'desktop', reaper: false, lowMemory: false }, 'compute');
    // mermaid needs only a window and a document to parse.
    const { JSDOM } = await import('jsdom');
    const dom = new JSDOM('<!doctype html><html><body></body></html>');
    Object.assign(globalThis, { window: dom.window, document: dom.window.document });
    const { default: mermaid } = await import('mermaid');
    const text = toMermaid(graph, highlightOf(e.path.map((s) => s.edge)));
    await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: 'stateDiagram' });
    expect(text).toContain('★');
    await expect(mermaid.parse(text.replace('stateDiagram-v2\n', 'stateDiagram-v2\n  a --> --> b\n'))).rejects.toThrow(/Parse error/);
  }, 180_000);

  it('DOT renders with Graphviz, and Graphviz does reject a broken graph', async () => {
    const e = await explainOn({ mode: 'desktop', reaper: false, lowMemory: false }, 'compute');
    const dot = toDot(graph, highlightOf(e.path.map((s) => s.edge)));
    const svg = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
    expect(svg.stderr).toBe('');
    expect(svg.status).toBe(0);
    expect(svg.stdout).toContain('<svg');
    for (const state of graph.states.filter((s) => s.children.length === 0)) expect(svg.stdout).toContain(`<title>${state.id}</title>`);
    expect(spawnSync('dot', ['-Tsvg'], { input: dot.replace('compound=true;', 'compound=true; ->;'), encoding: 'utf8' }).status).not.toBe(0);
  });
});
