import { KeyedQueue } from '../../store/keyed-queue';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('KeyedQueue', () => {
  it('runs the tasks of one key one after the other, in order', async () => {
    const queue = new KeyedQueue();
    const gate = deferred();
    const log: string[] = [];
    const first = queue.run('doc', async () => {
      log.push('first starts');
      await gate.promise;
      log.push('first ends');
      return 1;
    });
    const second = queue.run('doc', async () => {
      log.push('second runs');
      return 2;
    });
    await Promise.resolve();
    expect(log).toEqual(['first starts']);
    gate.resolve();
    await expect(Promise.all([first, second])).resolves.toEqual([1, 2]);
    expect(log).toEqual(['first starts', 'first ends', 'second runs']);
  });

  it('runs tasks of different keys at the same time', async () => {
    const queue = new KeyedQueue();
    const gate = deferred();
    const blocked = queue.run('a', () => gate.promise);
    await expect(queue.run('b', async () => 'b done')).resolves.toBe('b done');
    gate.resolve();
    await blocked;
  });

  it('goes on after a failed task, which still fails its caller', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('doc', () => Promise.reject(new Error('boom')));
    const next = queue.run('doc', async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });
});
