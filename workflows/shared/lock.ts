/**
 * Serialises async message handlers of one workflow: each runs after the previous one has
 * finished, so two updates never interleave between their awaits.
 */
export class HandlerLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** A lock that does not serialise: what runs before a workflow adopts a shared {@link HandlerLock}. */
export const NO_LOCK: Pick<HandlerLock, 'run'> = { run: (fn) => fn() };
