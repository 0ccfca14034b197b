/** The task queue the worker polls unless `TEMPORAL_TASK_QUEUE` names another. */
export const DEFAULT_TASK_QUEUE = 'compass';
