import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * `demo --serve`: the query API (apps/api, its own process, as in production) over the demo's
 * embedded data, until Ctrl-C. The demo has closed its stores first: the API opens them itself.
 */
export async function serveApi(dataDir: string, out: (line?: string) => void): Promise<number> {
  const port = process.env['PORT'] ?? '8080';
  const base = `http://127.0.0.1:${port}`;
  const headers = `-H 'X-Actor: user:demo-investigator' -H 'X-Purpose-Of-Use: HRESCH'`;
  out(`\nServing the query API on ${base} (Ctrl-C to stop). Try:`);
  out(`  curl ${base}/openapi.json`);
  out(`  curl ${headers} '${base}/v1/catalog?dataClass=IMAGING&sort=ingestedAt&direction=desc&limit=5'`);
  out(`  curl ${headers} ${base}/v1/projections`);
  const api = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, '../../api/src/main.ts')],
    {
      env: { ...process.env, MEDLINEAGE_DATA_DIR: dataDir, PORT: port, HOST: '127.0.0.1' },
      stdio: 'inherit',
      // Its own process group: a terminal's Ctrl-C reaches the demo only, which forwards it once.
      detached: true,
    },
  );
  process.once('exit', () => api.kill('SIGTERM'));
  const forward = (signal: NodeJS.Signals) => () => api.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  return new Promise<number>((resolve, reject) => {
    api.once('error', reject);
    api.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 0)));
  });
}
