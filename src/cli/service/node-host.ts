/** The real `ServiceHost`: this process's platform, home and uid; commands run as argv. */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import type { RunResult, ServiceHost } from './service-manager.js';

export function nodeServiceHost(env: NodeJS.ProcessEnv = process.env): ServiceHost {
  return {
    platform: process.platform,
    homedir: homedir(),
    xdgConfigHome: env.XDG_CONFIG_HOME,
    uid: process.getuid?.() ?? 0,
    run: (program, args) =>
      new Promise<RunResult>((resolve) => {
        execFile(program, args, { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
          if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') resolve(null);
          else
            resolve({
              code: error ? Number((error as { code?: unknown }).code ?? 1) || 1 : 0,
              stdout,
              stderr,
            });
        });
      }),
    exists: existsSync,
    writeFile: (file, text) => {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text, { mode: 0o644 });
    },
    removeFile: (file) => rmSync(file, { force: true }),
  };
}
