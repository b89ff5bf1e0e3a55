/**
 * Depth-first walks over dependency graphs, iterative: chains of tasks or issues thousands deep
 * (a stranger can write "depends on #N" a thousand times over) must never overflow the stack.
 * Every dependency walk of both boards goes through `walkDepthFirst`; cycle reports are built on it.
 */

export interface WalkHooks<T> {
  /** First visit of `node` (pre-order). */
  enter?(node: T): void;
  /**
   * An edge to a node visited before: `at` is its position on the current `path` (the edge
   * closes the cycle `path.slice(at)`), or undefined when that node is finished.
   */
  revisit?(from: T, to: T, path: readonly T[], at: number | undefined): void;
  /** Every edge of `node` explored (post-order); `parent` is the node it was reached from. */
  leave?(node: T, parent: T | undefined): void;
}

/** Visits every node reachable from `roots` once, in depth-first order, with an explicit stack. */
export function walkDepthFirst<T>(
  roots: Iterable<T>,
  next: (node: T) => readonly T[],
  hooks: WalkHooks<T>,
): void {
  const onPath = new Map<T, number>(); // node → position in `path`
  const finished = new Set<T>();
  for (const root of roots) {
    if (finished.has(root)) continue;
    const path: T[] = [root];
    const edges: (readonly T[])[] = [next(root)];
    const position: number[] = [0];
    onPath.set(root, 0);
    hooks.enter?.(root);
    while (path.length > 0) {
      const top = path.length - 1;
      const node = path[top]!;
      const deps = edges[top]!;
      const i = position[top]!;
      if (i >= deps.length) {
        path.pop();
        edges.pop();
        position.pop();
        onPath.delete(node);
        finished.add(node);
        hooks.leave?.(node, path[path.length - 1]);
        continue;
      }
      position[top] = i + 1;
      const dep = deps[i]!;
      if (finished.has(dep) || onPath.has(dep)) {
        hooks.revisit?.(node, dep, path, onPath.get(dep));
        continue;
      }
      onPath.set(dep, path.length);
      path.push(dep);
      edges.push(next(dep));
      position.push(0);
      hooks.enter?.(dep);
    }
  }
}

/** Strongly connected components (Tarjan's algorithm on the iterative walk), in completion order. */
export function stronglyConnected<T>(nodes: Iterable<T>, next: (node: T) => readonly T[]): T[][] {
  const index = new Map<T, number>();
  const low = new Map<T, number>();
  const stack: T[] = [];
  const onStack = new Set<T>();
  const components: T[][] = [];
  walkDepthFirst(nodes, next, {
    enter(v) {
      index.set(v, index.size);
      low.set(v, index.get(v)!);
      stack.push(v);
      onStack.add(v);
    },
    revisit(v, w) {
      if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    },
    leave(v, parent) {
      if (low.get(v) === index.get(v)) {
        const component: T[] = [];
        let w: T;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        components.push(component);
      }
      if (parent !== undefined) low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
    },
  });
  return components;
}
