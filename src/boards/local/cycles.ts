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
 * Finds dependency cycles with one depth-first search (iterative: a long chain of tasks must
 * not overflow the stack). Every back edge yields one cycle, so every strongly connected
 * component that holds a cycle is reported at least once; each cycle is reported once, rotated
 * to start at its member earliest in the graph's order. Deps absent from the graph are skipped
 * (the caller reports them as unknown).
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): Cycle[] {
  const order = new Map([...graph.keys()].map((id, i) => [id, i]));
  const done = new Set<string>();
  const onPath = new Map<string, number>(); // id → position in `path`
  const seen = new Set<string>();
  const cycles: Cycle[] = [];

  for (const root of graph.keys()) {
    if (done.has(root)) continue;
    const path: string[] = [root];
    const next: number[] = [0];
    onPath.set(root, 0);
    while (path.length > 0) {
      const top = path.length - 1;
      const id = path[top]!;
      const deps = graph.get(id)!;
      const i = next[top]!;
      if (i >= deps.length) {
        path.pop();
        next.pop();
        onPath.delete(id);
        done.add(id);
        continue;
      }
      next[top] = i + 1;
      const dep = deps[i]!;
      const at = onPath.get(dep);
      if (at !== undefined) {
        const found = rotate(path.slice(at), order);
        const key = found.join('\u001f');
        if (!seen.has(key)) {
          seen.add(key);
          const first = found[0]!;
          const depIndex = graph.get(first)!.indexOf(found[1] ?? first);
          cycles.push({ taskId: first, depIndex, members: found });
        }
      } else if (graph.has(dep) && !done.has(dep)) {
        onPath.set(dep, path.length);
        path.push(dep);
        next.push(0);
      }
    }
  }
  return cycles.sort((a, b) => order.get(a.taskId)! - order.get(b.taskId)!);
}

function rotate(members: string[], order: ReadonlyMap<string, number>): string[] {
  let start = 0;
  for (let i = 1; i < members.length; i++) {
    if (order.get(members[i]!)! < order.get(members[start]!)!) start = i;
  }
  return [...members.slice(start), ...members.slice(0, start)];
}
