/**
 * Runs tasks one after the other per key, concurrently across keys. FerretDB applies an
 * update by reading the document, changing it and writing it whole, so two updates of one
 * document at the same moment can lose one of them; queueing a process's own updates of a
 * document keeps them from racing each other (MongoDB applies each update atomically anyway).
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
