// nix/lib/npm-lock-resolved.nix gives importNpmLock the registry URL of each
// package in package-lock.json. Checked against the URLs npm itself fetched for
// this lock (a real capture, see the fixture's header), parsed here without the
// Nix code's rules.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeWhen, toolPrerequisites } from '../sandbox/prerequisites.ts';
import { evalJson, NIX_MISSING_HINT, REPO_ROOT } from './nix-instantiate.ts';

interface LockEntry {
  version?: string;
  name?: string;
}

const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};

/** "name@version" → URL, from `https://registry.npmjs.org/<name>/-/<unscoped name>-<version>.tgz`. */
function fetchedUrls(): Map<string, string> {
  const text = readFileSync(new URL('./fixtures/npm-registry-tarball-urls.txt', import.meta.url), 'utf8');
  const urls = new Map<string, string>();
  for (const url of text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))) {
    const match = /^https:\/\/registry\.npmjs\.org\/((?:@[^/]+\/)?[^/]+)\/-\/([^/]+)\.tgz$/.exec(url);
    if (!match) throw new Error(`fixture line is not a registry tarball URL: ${url}`);
    const [, name, file] = match as unknown as [string, string, string];
    const unscoped = name.slice(name.lastIndexOf('/') + 1);
    if (!file.startsWith(`${unscoped}-`)) throw new Error(`tarball ${file} does not belong to ${name}`);
    urls.set(`${name}@${file.slice(unscoped.length + 1)}`, url);
  }
  return urls;
}

const missing = toolPrerequisites(['nix-instantiate']).map((problem) => `${problem}: ${NIX_MISSING_HINT}`);

describeWhen(missing, 'registry URLs for importNpmLock', () => {
  let generated: Record<string, string | null>;
  beforeAll(async () => {
    generated = (await evalJson('nix/tests/npm-lock-of-repo.nix')) as Record<string, string | null>;
  });

  it('match, for every package of the lock npm fetched, the URL npm fetched it from', () => {
    const fetched = fetchedUrls();
    const mismatches: string[] = [];
    let compared = 0;
    for (const [key, entry] of Object.entries(lock.packages)) {
      if (key === '') continue;
      const installedAs = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
      const real = fetched.get(`${entry.name ?? installedAs}@${entry.version ?? ''}`);
      if (real === undefined) continue;
      compared += 1;
      if (generated[key] !== real) mismatches.push(`${key}: ${String(generated[key])} != ${real}`);
    }
    expect(mismatches).toEqual([]);
    // Most of the lock must be covered, or the comparison proves little:
    // after a large dependency change, refresh the fixture (its header says how).
    expect(compared).toBeGreaterThan(Object.keys(lock.packages).length / 2);
  });

  it('give every dependency a URL and the root package none', () => {
    const withoutUrl = Object.keys(lock.packages).filter((key) => key !== '' && generated[key] === null);
    expect(withoutUrl).toEqual([]);
    expect(generated['']).toBeNull();
  });
});
