// ALSA fact: every playback substream's status file,
// <alsaRoot>/cardC/pcmDp/subS/status. One unreadable or unparseable file
// makes the whole fact unknown: a guard must not miss the one stream that
// is playing.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlsaSubstream, Fact, FactSource } from '../../schemas/facts.ts';
import { errorCode, known, unknown, unknownFromParse } from './fact-builders.ts';
import { rooted, type ObserveContext } from './observe-context.ts';
import { parseAlsaStatus } from './parsers/alsa-status.ts';
import { readFactFile } from './read-fact-file.ts';
import { withDeadline } from './with-deadline.ts';
import { describeError } from '../../shared/describe-error.ts';

export async function collectAlsa(ctx: ObserveContext): Promise<Fact<AlsaSubstream[]>> {
  const root = rooted(ctx.config.audio.alsaRoot, ctx.roots);
  const source: FactSource = { kind: 'file', path: `${root}/card*/pcm*p/sub*/status` };
  return withDeadline(read(root, source, ctx), ctx.timeoutMs, () =>
    unknown('unreadable', `reading ${source.path} did not finish within ${ctx.timeoutMs} ms`, source, ctx.now().toISOString()),
  ctx.signal);
}

async function read(root: string, source: FactSource, ctx: ObserveContext): Promise<Fact<AlsaSubstream[]>> {
  try {
    return await readCards(root, source, ctx);
  } catch (error) {
    return unknown('unreadable', `cannot read ${root}: ${describeError(error)}`, source, ctx.now().toISOString());
  }
}

async function readCards(root: string, source: FactSource, ctx: ObserveContext): Promise<Fact<AlsaSubstream[]>> {
  let cards: string[];
  try {
    cards = await readdir(root);
  } catch (error) {
    const readAt = ctx.now().toISOString();
    if (errorCode(error) === 'ENOENT') {
      return unknown('not-applicable', `${root} does not exist: no ALSA sound driver is loaded (or config.audio.alsaRoot is wrong)`, source, readAt);
    }
    return unknown('unreadable', `cannot list ${root}: ${describeError(error)}`, source, readAt);
  }
  const substreams: AlsaSubstream[] = [];
  for (const cardName of cards.filter((n) => /^card\d+$/.test(n)).sort(byNumber)) {
    const card = Number(cardName.slice(4));
    const pcms = await listOrEmpty(join(root, cardName));
    for (const pcmName of pcms.filter((n) => /^pcm\d+p$/.test(n)).sort(byNumber)) {
      const device = Number(pcmName.slice(3, -1));
      const subs = await listOrEmpty(join(root, cardName, pcmName));
      for (const subName of subs.filter((n) => /^sub\d+$/.test(n)).sort(byNumber)) {
        const path = join(root, cardName, pcmName, subName, 'status');
        const text = await readFactFile(path, source, ctx.now);
        if (typeof text !== 'string') return text;
        const status = parseAlsaStatus(text);
        if (!status.ok) return unknownFromParse(status, { kind: 'file', path }, ctx.now().toISOString(), path);
        substreams.push({ path, card, device, subdevice: Number(subName.slice(3)), ...status.value });
      }
    }
  }
  return known(substreams, source, ctx.now().toISOString());
}

async function listOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    // a card without playback devices, or one unplugged while we read
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return [];
    throw error;
  }
}

function byNumber(a: string, b: string): number {
  return Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, ''));
}
