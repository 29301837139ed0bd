// Parses vLLM's GET /v1/models (the OpenAI model list): the ids it serves,
// which are its --served-model-name values (or the --model path without one).
// Readiness needs the configured model among them: a vLLM that answers
// /health but serves another model is not the server compute asked for.
import { parseJsonText } from './json-text.ts';
import { emptyInput, failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';

export function parseServedModels(text: string): ParseResult<string[]> {
  if (text.trim() === '') return emptyInput('the JSON of GET /v1/models');
  const parsed = parseJsonText(text, 'JSON from GET /v1/models');
  if (!parsed.ok) return parsed;
  const body = parsed.value;
  const lines = splitLines(text);
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('data' in body) || !Array.isArray(body.data)) {
    return failAt(lines, null, 'GET /v1/models did not answer an object with a "data" list (the OpenAI model list)');
  }
  const ids: string[] = [];
  for (const [i, model] of (body.data as unknown[]).entries()) {
    if (typeof model !== 'object' || model === null || !('id' in model) || typeof model.id !== 'string') {
      return failAt(lines, null, `entry ${i} of "data" in GET /v1/models has no string "id"`);
    }
    ids.push(model.id);
  }
  return parseOk(ids);
}
