/**
 * Executors: pick the one a payload needs. One instance of each, made once and reused (they
 * hold only configuration), so the daemon asks `executorFor(payload)` per attempt for free.
 */
import type { Clock } from '../core/clock.js';
import { InputError } from '../core/errors.js';
import type { TaskPayload } from '../core/payload.js';
import type { ExecutionHooks, ExecutionRequest, ExecutionResult, Executor } from './executor.js';
import { McpCallExecutor } from './mcp/mcp-call.js';
import { NoopExecutor } from './noop.js';
import { ShellExecutor, type ShellExecutorOptions } from './shell/shell.js';

export interface ExecutorsOptions {
  /** The shell executor's settings; mcp-call servers are started under the same ones. */
  shell: Omit<ShellExecutorOptions, 'clock'>;
  clock?: Clock;
}

/** The executors by payload kind; itself an `Executor` that dispatches on the payload. */
export interface Executors extends Executor {
  readonly noop: NoopExecutor;
  readonly shell: ShellExecutor;
  readonly mcpCall: McpCallExecutor;
  executorFor(payload: TaskPayload): Executor;
}

export function createExecutors(options: ExecutorsOptions): Executors {
  const clock = options.clock === undefined ? {} : { clock: options.clock };
  const noop = new NoopExecutor(clock);
  const shell = new ShellExecutor({ ...options.shell, ...clock });
  const mcpCall = new McpCallExecutor({ ...options.shell, ...clock });
  const executorFor = (payload: TaskPayload): Executor => {
    switch (payload.kind) {
      case 'noop':
        return noop;
      case 'shell':
        return shell;
      case 'mcp-call':
        return mcpCall;
    }
    // Payloads are validated where they are read; this guards one that slipped through.
    throw new InputError(`Unknown payload kind "${(payload as { kind: unknown }).kind}"`);
  };
  return {
    noop,
    shell,
    mcpCall,
    executorFor,
    run: async (
      request: ExecutionRequest,
      signal: AbortSignal,
      hooks?: ExecutionHooks,
    ): Promise<ExecutionResult> => executorFor(request.payload).run(request, signal, hooks),
  };
}

export {
  AGENT_PRESETS,
  type AgentPreset,
  type AgentPresetOptions,
  agentPayload,
  buildPrompt,
  DEFAULT_AGENT_FLAGS,
  formatPrompt,
  type PresetSpec,
  type PromptDelivery,
} from './agent-presets.js';
export { customPreset, parsePromptDelivery } from './custom-preset.js';
export type { ExecutionHooks, ExecutionRequest, ExecutionResult, Executor } from './executor.js';
export { McpCallExecutor, type McpCallExecutorOptions, serverArgv } from './mcp/mcp-call.js';
export { RESPONSE_FILE } from './mcp/tool-response.js';
export { NoopExecutor } from './noop.js';
export { splitCommandLine, toArgv } from './shell/command-line.js';
export { checkProgram, resolveProgram } from './shell/program-path.js';
export { ShellExecutor, type ShellExecutorOptions, STDOUT_FILE } from './shell/shell.js';
