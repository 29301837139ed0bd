// zod 4 compiles each object schema's parser with `new Function` the first
// time it parses, which pays back only over many parses. A `mode` process or a
// unit's helper parses each schema a few times and exits, so the compiling is
// pure cost: under `node --jitless` (the units) `mode current --json --refresh`
// took 167 ms with it and 142 ms without (hyperfine, 30 runs), with JIT 144 and
// 135 ms. zod's interpreted parser gives the same answers and the same issues.
//
// zod reads the setting when it builds each schema, so it must be set before
// any schema module runs: this module is the first import of each entry, and
// it writes zod's global config object (`globalThis.__zod_globalConfig`, what
// `z.config()` returns and zod creates if absent) rather than importing zod, so
// an entry that never needs zod does not load it.
// test/cli/zod-interpreted.test.ts checks zod still reads it there.
interface ZodGlobalConfig {
  jitless?: boolean;
}
const host = globalThis as { __zod_globalConfig?: ZodGlobalConfig };
host.__zod_globalConfig = { ...host.__zod_globalConfig, jitless: true };
