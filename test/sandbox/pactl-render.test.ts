// The fake pactl prints real `pactl list sink-inputs` blocks, which the
// project's parser reads back as the streams a test set.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { expect, it } from 'vitest';
import { parsePactlSinkInputs } from '../../effects/observe/parsers/pactl-sink-inputs.ts';
import { renderSinkInputs } from './stand-ins/pactl-render.ts';

const TEMPLATE = readFileSync(join(import.meta.dirname, 'templates', 'pactl-list-sink-inputs.pipewire.txt'), 'utf8');

it('prints nothing when no stream plays, as pactl does', () => {
  expect(renderSinkInputs(TEMPLATE, [])).toBe('');
});

it('keeps the real block and changes only the number, Corked and application.name', () => {
  const out = renderSinkInputs(TEMPLATE, [{ application: 'REAPER', corked: false }]);
  const before = TEMPLATE.trimEnd().split('\n');
  const after = out.trimEnd().split('\n');
  expect(after).toHaveLength(before.length);
  expect(after.filter((line, i) => line !== before[i])).toEqual(['\t\tapplication.name = "REAPER"']);
});

test.prop([fc.array(fc.record({ application: fc.string({ maxLength: 30 }).filter((s) => !s.includes('\n')), corked: fc.boolean() }), { maxLength: 5 })])(
  'the project parser reads back every stream, playing exactly when not corked',
  (streams) => {
    const parsed = parsePactlSinkInputs(renderSinkInputs(TEMPLATE, streams));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.map((s) => ({ running: s.running, corked: s.corked }))).toEqual(streams.map((s) => ({ running: !s.corked, corked: s.corked })));
  },
);
