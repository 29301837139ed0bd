// GET /v1/models as vLLM answers it: the ids are the served model names.
import { describe, expect, it } from 'vitest';
import { parseServedModels } from '../../effects/observe/parsers/vllm-models.ts';

// vLLM 0.x's answer, one model served with --served-model-name
const VLLM_MODELS = JSON.stringify({
  object: 'list',
  data: [{ id: 'Qwen/Qwen2.5-Coder-14B-Instruct', object: 'model', created: 1764700000, owned_by: 'vllm', root: '/var/lib/dubnium/models/Qwen/Qwen2.5-Coder-14B-Instruct', parent: null, max_model_len: 32768, permission: [] }],
});

describe('parseServedModels', () => {
  it('reads the served names', () => {
    expect(parseServedModels(VLLM_MODELS)).toEqual({ ok: true, value: ['Qwen/Qwen2.5-Coder-14B-Instruct'] });
    expect(parseServedModels('{"object":"list","data":[]}')).toEqual({ ok: true, value: [] });
  });

  it('refuses what is not the model list, saying what it expected', () => {
    const message = (text: string) => {
      const parsed = parseServedModels(text);
      return parsed.ok ? null : parsed.message;
    };
    expect(message('')).toContain('empty');
    expect(message('{"detail":"Not Found"}')).toContain('"data" list');
    expect(message('{"data":[{"object":"model"}]}')).toContain('entry 0');
    expect(message('<html>')).toContain('not valid JSON');
  });
});
