import { validateApplicationRegisterInput, newApplication } from '../../domain/application';
import {
  AppError,
  InvalidDataError,
  NotFoundError,
  formatErrorMessage,
  isErrorName,
} from '../../domain/errors';
import { applicationWorkflowId, parseApplicationWorkflowId } from '../../domain/ids';
import { decodeCursor, encodeCursor, parsePageRequest, toPage } from '../../domain/pagination';
import { parseTenantId } from '../../domain/tenant';
import { invalidDataOf } from '../fixtures/errors';

describe('errors', () => {
  it('formats messages as Compass does', () => {
    expect(formatErrorMessage('Object not found', { object: 'application', ID: 'x' })).toBe(
      'Object not found [object=application; ID=x]',
    );
    expect(new NotFoundError('application', 'x')).toMatchObject({ name: 'NotFound', code: 20 });
    expect(new AppError('InvalidOperation', 'no')).toMatchObject({ code: 27, message: 'no' });
  });

  it('recognises only known error names', () => {
    expect(isErrorName('NotUnique')).toBe(true);
    expect(isErrorName('Error')).toBe(false);
    expect(isErrorName('toString')).toBe(false);
  });
});

describe('workflow IDs', () => {
  it('round-trip through their parser', () => {
    const id = applicationWorkflowId('tenant-1', 'app-1');
    expect(id).toBe('application/tenant-1/app-1');
    expect(parseApplicationWorkflowId(id)).toEqual({ tenantId: 'tenant-1', applicationId: 'app-1' });
  });

  it('refuse segments that could break the ID shape', () => {
    expect(() => applicationWorkflowId('a/b', 'x')).toThrow(TypeError);
    expect(parseApplicationWorkflowId('runtime/t/x')).toBeUndefined();
    expect(parseApplicationWorkflowId('application/t/x/y')).toBeUndefined();
  });
});

describe('tenant', () => {
  it('is required and must be well-formed', () => {
    expect(() => parseTenantId(undefined)).toThrow(
      expect.objectContaining({ name: 'TenantRequired', code: 24 }),
    );
    expect(() => parseTenantId('  ')).toThrow(expect.objectContaining({ code: 24 }));
    expect(() => parseTenantId('a/b')).toThrow(expect.objectContaining({ code: 22 }));
    expect(parseTenantId(' acme ')).toBe('acme');
  });
});

describe('application registration input', () => {
  it('collects every field problem in one error', () => {
    expect(
      invalidDataOf(() =>
        validateApplicationRegisterInput({ name: 'x'.repeat(37), description: 'd'.repeat(2001), extra: 1 }),
      ),
    ).toBe(
      'Invalid data ApplicationRegisterInput [extra=unknown field; name=the length must be between 1 and 36; description=the length must be no more than 2000]',
    );
  });

  it('refuses nested arrays and non-finite numbers in labels', () => {
    expect(
      invalidDataOf(() => validateApplicationRegisterInput({ name: 'a', labels: { x: [[1]] } })),
    ).toContain('arrays may not be nested');
    expect(
      invalidDataOf(() => validateApplicationRegisterInput({ name: 'a', labels: { x: Infinity } })),
    ).toContain('finite');
  });

  it('drops null fields and builds an INITIAL application', () => {
    const input = validateApplicationRegisterInput({ name: 'a.b-c', description: null, labels: { k: 'v' } });
    expect(input).toEqual({ name: 'a.b-c', labels: { k: 'v' } });
    expect(newApplication('t', 'id', input, '2026-01-01T00:00:00.000Z')).toEqual({
      id: 'id',
      tenantId: 't',
      name: 'a.b-c',
      labels: { k: 'v' },
      status: { condition: 'INITIAL', timestamp: '2026-01-01T00:00:00.000Z' },
      createdAt: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('pagination', () => {
  it('round-trips cursors and refuses anything else', () => {
    expect(decodeCursor(encodeCursor('ü-key'))).toBe('ü-key');
    expect(() => decodeCursor('!!')).toThrow(InvalidDataError);
    expect(() => decodeCursor(btoa('42'))).toThrow(InvalidDataError);
  });

  it('defaults to 200 and enforces 1..200', () => {
    expect(parsePageRequest(undefined, undefined)).toEqual({ first: 200 });
    expect(() => parsePageRequest(201, undefined)).toThrow('page size must be between 1 and 200');
    expect(() => parsePageRequest(1.5, undefined)).toThrow(InvalidDataError);
  });

  it('keeps the cursor it was given, so startCursor echoes it', () => {
    const cursor = encodeCursor('k');
    expect(parsePageRequest(5, cursor)).toEqual({ first: 5, after: 'k', cursor });
  });

  it('builds a page from one extra row: startCursor is the request’s, endCursor the next page’s', () => {
    const page = toPage(['a', 'b', 'c'], { first: 2 }, 3, (s) => s);
    expect(page).toEqual({
      data: ['a', 'b'],
      totalCount: 3,
      pageInfo: { startCursor: '', endCursor: encodeCursor('b'), hasNextPage: true },
    });
    const cursor = encodeCursor('b');
    expect(toPage(['c'], { first: 2, after: 'b', cursor }, 3, (s) => s).pageInfo).toEqual({
      startCursor: cursor,
      endCursor: '',
      hasNextPage: false,
    });
    expect(toPage([], { first: 2 }, 0, (s: string) => s).pageInfo).toEqual({
      startCursor: '',
      endCursor: '',
      hasNextPage: false,
    });
  });
});
