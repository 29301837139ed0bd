// Reads a capture from test/fixtures/real-outputs (real tool output, see its
// README for where each came from) or test/fixtures/synthetic (hand-written
// edge cases, named as such).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REAL = fileURLToPath(new URL('../fixtures/real-outputs/', import.meta.url));
export const SYNTHETIC = fileURLToPath(new URL('../fixtures/synthetic/', import.meta.url));

export const real = (path: string): string => readFileSync(REAL + path, 'utf8');
export const synthetic = (path: string): string => readFileSync(SYNTHETIC + path, 'utf8');
export const realFiles = (folder: string): string[] => readdirSync(REAL + folder).sort().map((name) => `${folder}/${name}`);
