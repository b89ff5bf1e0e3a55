/**
 * The artifact of an mcp-call attempt: the tool's response as the server sent it
 * (`response.json`), and its text content as `stdout.log`, where `codex-monitor logs` and the
 * delivery summary look for what an attempt said.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STDOUT_FILE } from '../attempt-files.js';

export const RESPONSE_FILE = 'response.json';
const MAX_ERROR_LINE = 200;

/** The part of a `tools/call` result this records (the SDK's CallToolResult, loosely typed). */
export interface ToolResponse {
  content?: unknown;
  structuredContent?: unknown;
  isError?: boolean;
}

/** Writes response.json and stdout.log into `artifactsDir`. */
export function writeToolResponse(artifactsDir: string, tool: string, response: ToolResponse): void {
  const record = {
    tool,
    isError: response.isError === true,
    content: response.content ?? [],
    ...(response.structuredContent === undefined ? {} : { structuredContent: response.structuredContent }),
  };
  writeFileSync(join(artifactsDir, RESPONSE_FILE), `${JSON.stringify(record, null, 2)}\n`);
  const text = textOf(response);
  writeFileSync(join(artifactsDir, STDOUT_FILE), text === '' ? '' : `${text}\n`);
}

/** The text items of the content, joined by newlines ('' when there are none). */
export function textOf(response: ToolResponse): string {
  if (!Array.isArray(response.content)) return '';
  return response.content
    .filter(
      (item): item is { type: 'text'; text: string } =>
        item?.type === 'text' && typeof item.text === 'string',
    )
    .map((item) => item.text)
    .join('\n');
}

/** A failed tool's message on one line, for the attempt's error: what the tool itself said. */
export function toolErrorLine(tool: string, response: ToolResponse): string {
  const text = textOf(response).replace(/\s+/g, ' ').trim().slice(0, MAX_ERROR_LINE);
  return `tool "${tool}" reported an error: ${text === '' ? '(no message)' : text}`;
}
