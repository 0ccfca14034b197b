import { fixApplicationInput, LIST, REGISTER } from '../../fixtures/applications';
import { fixIntegrationSystemInput, LIST_SYSTEMS, REGISTER_SYSTEM } from '../../fixtures/global-objects';
import { fixTenant, okData, startStack, type Stack } from '../harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

interface Page {
  data: Array<{ id: string }>;
  pageInfo: { startCursor: string; endCursor: string; hasNextPage: boolean };
  totalCount: number;
}

describe('page cursors as Compass shapes them', () => {
  it('startCursor is the after sent ("" first), endCursor the next page’s or "" on the last page', async () => {
    const tenant = fixTenant();
    for (const name of ['app-a', 'app-b', 'app-c']) {
      await okData(stack, REGISTER, { in: fixApplicationInput({ name }) }, tenant);
    }
    const first = await okData<Page>(stack, LIST, { first: 2 }, tenant);
    expect(first.pageInfo).toEqual({ startCursor: '', endCursor: expect.any(String), hasNextPage: true });
    expect(first.pageInfo.endCursor).not.toBe('');

    const after = first.pageInfo.endCursor;
    const last = await okData<Page>(stack, LIST, { first: 2, after }, tenant);
    expect(last).toEqual({
      data: [expect.objectContaining({ id: expect.any(String) })],
      pageInfo: { startCursor: after, endCursor: '', hasNextPage: false },
      totalCount: 3,
    });
    expect([...first.data, ...last.data].map((a) => a.id)).toHaveLength(3);

    const whole = await okData<Page>(stack, LIST, {}, tenant);
    expect(whole.pageInfo).toEqual({ startCursor: '', endCursor: '', hasNextPage: false });
    const empty = await okData<Page>(stack, LIST, {}, fixTenant());
    expect(empty).toEqual({
      data: [],
      pageInfo: { startCursor: '', endCursor: '', hasNextPage: false },
      totalCount: 0,
    });
  });

  it('pages of global objects follow the same shape', async () => {
    await okData(stack, REGISTER_SYSTEM, { in: fixIntegrationSystemInput() }, fixTenant());
    await okData(stack, REGISTER_SYSTEM, { in: fixIntegrationSystemInput() }, fixTenant());
    const first = await okData<Page>(stack, LIST_SYSTEMS, { first: 1 }, fixTenant());
    expect(first.pageInfo).toMatchObject({ startCursor: '', hasNextPage: true });
    let page = first;
    while (page.pageInfo.hasNextPage) {
      const after = page.pageInfo.endCursor;
      page = await okData<Page>(stack, LIST_SYSTEMS, { first: 1, after }, fixTenant());
      expect(page.pageInfo.startCursor).toBe(after);
    }
    expect(page.pageInfo.endCursor).toBe('');
  });
});
