import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DagError, parseDag } from './dag.js';

/** The problems of a DAG that must not parse. */
function problems(text: string): readonly string[] {
  try {
    parseDag(text);
  } catch (error) {
    expect(error).toBeInstanceOf(DagError);
    return (error as DagError).problems;
  }
  throw new Error('expected the DAG to be refused');
}

describe('parseDag: mcp-call payloads', () => {
  it('reads server (a line or a list), tool, arguments and timeout', () => {
    const text = [
      '- id: a',
      '  payload:',
      '    kind: mcp-call',
      '    server: node tools/server.mjs --stdio',
      '    tool: summarize',
      '    arguments: { path: README.md, depth: 2, tags: [a, b], dry: false, none: null }',
      '    timeout: 30s',
      '- id: b',
      '  payload: { kind: mcp-call, server: [uvx, mcp-server-git], tool: git_status }',
    ].join('\n');
    expect(parseDag(text).tasks.map((t) => t.payload)).toEqual([
      {
        kind: 'mcp-call',
        server: 'node tools/server.mjs --stdio',
        tool: 'summarize',
        arguments: { path: 'README.md', depth: 2, tags: ['a', 'b'], dry: false, none: null },
        timeoutMs: 30_000,
      },
      { kind: 'mcp-call', server: ['uvx', 'mcp-server-git'], tool: 'git_status' },
    ]);
  });

  it('reads examples/mcp-call.yaml', () => {
    const text = readFileSync(new URL('../../../examples/mcp-call.yaml', import.meta.url), 'utf8');
    expect(parseDag(text).tasks.map((t) => t.payload.kind)).toEqual(['mcp-call', 'mcp-call']);
  });

  it('reports each wrong field with its line and column', () => {
    const text = [
      '- id: a',
      '  payload: { kind: mcp-call, tool: t }',
      '- id: b',
      '  payload: { kind: mcp-call, server: node s.mjs, arguments: [1, 2] }',
      '- id: c',
      '  payload: { kind: mcp-call, server: [node, 5, {x: 1}], tool: "", timeout: 0 }',
    ].join('\n');
    expect(problems(text)).toEqual([
      'line 2, column 12: task "a" field "payload.server": missing; an mcp-call payload needs "server": the MCP server\'s command line or a list of words',
      'line 4, column 12: task "b" field "payload.tool": missing; an mcp-call payload needs "tool": the name of the tool to call',
      'line 4, column 61: task "b" field "payload.arguments": expected a mapping of argument names to values, got a list',
      'line 6, column 48: task "c" field "payload.server[2]": expected a string, got a mapping',
      'line 6, column 63: task "c" field "payload.tool": expected a non-empty string, got "" (a string)',
      'line 6, column 76: task "c" field "payload.timeout": must be above 0',
    ]);
  });
});
