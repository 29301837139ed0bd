// The version printed by `mode --version`, from package.json (inlined by the bundle).
import pkg from '../package.json' with { type: 'json' };

export const version: string = pkg.version;
