// The metrics adapter of the fleet port: a publisher only. It renders
// dubnium.prom from the snapshot and writes it atomically (temp file, fsync,
// rename) into node_exporter's textfile folder, whose collector reads only
// *.prom files: it never sees a half-written file or the temp file.
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_NAME, writeFileAtomic } from '../../records/atomic-write.ts';
import type { MetricsConfig } from '../../../schemas/config.ts';
import type { FleetPublisher, FleetResult } from '../port.ts';
import { metricsModel } from './model.ts';
import { METRICS_FILE, renderMetrics } from './render.ts';

/** 0644: node_exporter runs as its own user and reads the file as "others" */
const FILE_MODE = 0o644;

export function metricsAdapter(config: Pick<MetricsConfig, 'textfileDir'>): FleetPublisher {
  const path = join(config.textfileDir, METRICS_FILE);
  return {
    name: 'metrics',
    // the counters are counted from the audit log (model.ts)
    readsAudit: true,
    async publish(snapshot): Promise<FleetResult<null>> {
      const { audit } = snapshot;
      if (audit === null) return { kind: 'failed', reason: 'the snapshot came without the audit log, which the metrics count from; this is a bug (the metrics adapter says readsAudit), please report it', evidence: [] };
      await sweepDeadWritersTemps(config.textfileDir);
      const written = await writeFileAtomic(path, renderMetrics(metricsModel({ ...snapshot, audit })), FILE_MODE);
      if (written.ok) return { kind: 'ok', value: null, evidence: [] };
      const hint = written.failure.code === 'missing-directory' ? ` (create ${config.textfileDir}, or set config.metrics.textfileDir to node_exporter's --collector.textfile.directory)` : '';
      return { kind: 'failed', reason: `${written.failure.message}${hint}`, evidence: [] };
    },
  };
}

/**
 * A writer killed between create and rename leaves dubnium.prom.tmp-<pid>-<rand>.
 * A run and mode boot may write at the same moment and hold no common lock, so
 * only a temp file whose writer is gone is removed; best effort, as the next
 * write does not need it gone.
 */
async function sweepDeadWritersTemps(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (TEMP_NAME.exec(name)?.groups?.target !== METRICS_FILE) continue;
    const pid = Number(/\.tmp-(\d+)-/.exec(name)?.[1]);
    if (pid !== process.pid && !isAlive(pid)) await unlink(join(dir, name)).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else
    return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
  }
}
