import { isRefused } from '../../scripts/fuzz/oracle';

/** Which answers the fuzz oracle holds to "the database is unchanged". */
describe('a refused request, as the fuzz oracle judges it', () => {
  const error = { message: 'Object not found', extensions: { error: 'NotFound', error_code: 20 } };

  it('is any HTTP error', () => {
    expect(isRefused(400, { errors: [error] })).toBe(true);
    expect(isRefused(401, 'Unauthorized')).toBe(true);
  });

  it('is a GraphQL answer with errors and no root field answered', () => {
    expect(isRefused(200, { errors: [error], data: null })).toBe(true);
    expect(isRefused(200, { errors: [error] })).toBe(true);
    expect(isRefused(200, { errors: [error], data: { a: null, b: null } })).toBe(true);
  });

  it('is not an answer without errors, or one where a root field was answered', () => {
    expect(isRefused(200, { data: { a: null } })).toBe(false);
    expect(isRefused(200, { errors: [], data: null })).toBe(false);
    expect(isRefused(200, { errors: [error], data: { a: { id: 'x' }, b: null } })).toBe(false);
  });
});
