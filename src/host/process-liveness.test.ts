import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { isGroupAlive, isProcessAlive, processStartTicks } from './process-liveness.js';

const groups: number[] = [];
afterEach(() => {
  for (const pgid of groups.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

/** Starts `sh -c script` as a new process group; returns the leader's pid and start. */
function group(script: string) {
  const child = spawn('sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  groups.push(child.pid!);
  return { child, pid: child.pid!, start: processStartTicks(child.pid!) };
}

async function until(check: () => boolean) {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  return check();
}

describe('isGroupAlive: an attempt’s process group, never a stranger that reuses its number', () => {
  it('is alive while its leader runs, and only for the leader’s own start time', async () => {
    const { child, pid, start } = group('exec sleep 30');
    expect(start).not.toBeNull();
    expect(isGroupAlive(pid, start)).toBe(true);
    expect(isGroupAlive(pid, start! + 1)).toBe(false); // another process under that pid
    expect(isGroupAlive(pid, null)).toBe(false); // unknown start: cannot tell it from a stranger
    process.kill(-pid, 'SIGKILL');
    await once(child, 'exit');
    expect(isGroupAlive(pid, start)).toBe(false);
  });

  it('stays alive while members outlive their leader, and ends with the last one', async () => {
    const { child, pid, start } = group('sleep 30 & echo $!');
    const [line] = (await once(child.stdout!, 'data')) as [Buffer];
    const member = Number(line.toString().trim());
    await once(child, 'exit');
    expect(isProcessAlive(pid)).toBe(false);
    expect(isGroupAlive(pid, start)).toBe(true);
    expect(isGroupAlive(pid, null)).toBe(true); // nobody else can hold the pid of a live group
    process.kill(member, 'SIGKILL');
    expect(await until(() => !isGroupAlive(pid, start))).toBe(true);
  });
});
