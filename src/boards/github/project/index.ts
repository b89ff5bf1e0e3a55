export { type ProjectCheck, projectChecks } from './project-doctor.js';
export { ProjectError } from './project-errors.js';
export { ProjectMirror } from './project-mirror.js';
export { PROJECT_DOCUMENTS } from './project-queries.js';
export {
  PROJECT_STATE_NAMES,
  type ProjectSettings,
  type ProjectState,
  projectStateOf,
} from './project-state.js';
export { type MoveResult, optionId, ProjectSync, type ResolvedProject } from './project-sync.js';
export { ReadyGate } from './ready-gate.js';
