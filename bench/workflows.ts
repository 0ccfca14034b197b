/** The floor for workflow benchmarks: a workflow that starts and completes, doing nothing. */
export async function noopWorkflow(): Promise<void> {
  // intentionally empty: its cost is Temporal's own
}
