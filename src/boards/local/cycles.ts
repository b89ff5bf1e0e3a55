import { walkDepthFirst } from '../../core/graph.js';

/** A dependency cycle, found at the edge `taskId → deps[depIndex]` that starts it. */
export interface Cycle {
  /** The cycle's member that comes first in the graph's order (file order). */
  taskId: string;
  /** Position in `taskId`'s deps of the next member of the cycle. */
  depIndex: number;
  /** Members in dependency order, starting at `taskId`; the cycle closes back to it. */
  members: string[];
}

/** `a → b → c → a`: each task waits on the next. */
export function formatCycle(members: readonly string[]): string {
  return [...members, members[0]].join(' → ');
}

/**
 * Finds dependency cycles with one depth-first search (the shared iterative walk: a long chain
 * of tasks must not overflow the stack). Every back edge yields one cycle, so every strongly connected
 * component that holds a cycle is reported at least once; each cycle is reported once, rotated
 * to start at its member earliest in the graph's order. Deps absent from the graph are skipped
 * (the caller reports them as unknown).
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): Cycle[] {
  const order = new Map([...graph.keys()].map((id, i) => [id, i]));
  const seen = new Set<string>();
  const cycles: Cycle[] = [];
  const next = (id: string) => (graph.get(id) ?? []).filter((dep) => graph.has(dep));
  walkDepthFirst(graph.keys(), next, {
    revisit(_from, _to, path, at) {
      if (at === undefined) return;
      const found = rotate(path.slice(at), order);
      const key = found.join('\u001f');
      if (seen.has(key)) return;
      seen.add(key);
      const first = found[0]!;
      const depIndex = graph.get(first)!.indexOf(found[1] ?? first);
      cycles.push({ taskId: first, depIndex, members: found });
    },
  });
  return cycles.sort((a, b) => order.get(a.taskId)! - order.get(b.taskId)!);
}

function rotate(members: string[], order: ReadonlyMap<string, number>): string[] {
  let start = 0;
  for (let i = 1; i < members.length; i++) {
    if (order.get(members[i]!)! < order.get(members[start]!)!) start = i;
  }
  return [...members.slice(start), ...members.slice(0, start)];
}
