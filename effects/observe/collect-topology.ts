// Hardware topology for the plan's phase 0.3: PCI display controllers from
// `lspci -nn` and boot loader facts from `bootctl status`. bootctl exits
// non-zero when it cannot find the ESP yet still prints what it knows, so
// its output is read whatever the exit status, as long as it parses.
import type { Config } from '../../schemas/config.ts';
import type { Fact } from '../../schemas/facts.ts';
import type { BootloaderFacts, ObservedTopology, PciDevice } from '../../schemas/topology.ts';
import { commandSource, known, unknownFromCommand, unknownFromParse } from './fact-builders.ts';
import { observeContext, type ObserveOptions } from './observe-facts.ts';
import { runInContext, type ObserveContext } from './observe-context.ts';
import { parseBootctlStatus } from './parsers/bootctl-status.ts';
import { displayControllers, parseLspci } from './parsers/lspci.ts';

export async function observeTopology(config: Config, options: ObserveOptions = {}): Promise<ObservedTopology> {
  const ctx = observeContext(config, options);
  const observedAt = ctx.now().toISOString();
  const [pciDevices, bootloader] = await Promise.all([collectPci(ctx), collectBootloader(ctx)]);
  const pciGpus: Fact<PciDevice[]> = pciDevices.status === 'known' ? { ...pciDevices, value: displayControllers(pciDevices.value) } : pciDevices;
  return { observedAt, pciDevices, pciGpus, bootloader };
}

async function collectPci(ctx: ObserveContext): Promise<Fact<PciDevice[]>> {
  const result = await runInContext(ctx, 'lspci', ['-nn']);
  const readAt = ctx.now().toISOString();
  if (result.kind !== 'ok') return unknownFromCommand(result, readAt);
  const devices = parseLspci(result.stdout);
  if (!devices.ok) return unknownFromParse(devices, commandSource(result), readAt, 'the output of lspci -nn');
  return known(devices.value, commandSource(result), readAt);
}

async function collectBootloader(ctx: ObserveContext): Promise<Fact<BootloaderFacts>> {
  const result = await runInContext(ctx, 'bootctl', ['status', '--no-pager']);
  const readAt = ctx.now().toISOString();
  const printed = result.kind === 'ok' || result.kind === 'failed' ? result.stdout : '';
  const facts = printed.trim() === '' ? null : parseBootctlStatus(printed);
  if (facts?.ok) return known(facts.value, commandSource(result), readAt);
  if (result.kind !== 'ok') return unknownFromCommand(result, readAt);
  return unknownFromParse(facts ?? { ok: false, line: null, message: 'bootctl printed nothing', excerpt: [] }, commandSource(result), readAt, 'the output of bootctl status');
}
