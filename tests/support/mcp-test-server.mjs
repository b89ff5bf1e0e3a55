#!/usr/bin/env node
/**
 * A small stdio MCP server for the mcp-call tests, built with the official SDK. Tools:
 * - echo {text}: answers the text (content and structuredContent);
 * - fail {message}: answers isError with the message;
 * - slow {ms}: starts a child (`sleep`, a member of the server's process group), records the
 *   server's and the child's pids in the --pid-file, then answers after `ms`;
 * - env: the names of its environment variables (structuredContent.names);
 * - crash: writes a line to stderr and exits with code 3 without answering.
 * `--pid-file <path>`: where the server writes its pid (and slow its child's) on start.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const at = process.argv.indexOf('--pid-file');
const pidFile = at >= 0 ? process.argv[at + 1] : undefined;
if (pidFile) writeFileSync(pidFile, `${process.pid}\n`);

const server = new McpServer({ name: 'codex-monitor-test-server', version: '1.0.0' });
const text = (value) => ({ content: [{ type: 'text', text: value }] });

server.registerTool(
  'echo',
  {
    description: 'Answers the text',
    inputSchema: { text: z.string() },
    outputSchema: { echoed: z.string() },
  },
  async ({ text: value }) => ({ ...text(value), structuredContent: { echoed: value } }),
);
server.registerTool(
  'fail',
  { description: 'Answers an error', inputSchema: { message: z.string() } },
  async ({ message }) => ({ ...text(message), isError: true }),
);
server.registerTool(
  'slow',
  { description: 'Answers after ms, with a child running', inputSchema: { ms: z.number() } },
  async ({ ms }) => {
    const child = spawn('sleep', ['300'], { stdio: 'ignore' });
    if (pidFile) appendFileSync(pidFile, `${child.pid}\n`);
    await sleep(ms);
    child.kill();
    return text(`slept ${ms} ms`);
  },
);
server.registerTool('env', { description: 'Names of its environment variables' }, async () => {
  const names = Object.keys(process.env).sort();
  return { ...text(names.join(' ')), structuredContent: { names } };
});
server.registerTool('crash', { description: 'Exits without answering' }, async () => {
  process.stderr.write('crashing on purpose\n');
  process.exit(3);
});

await server.connect(new StdioServerTransport());
