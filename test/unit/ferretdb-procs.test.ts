import { ferretDbProcs } from '../../scripts/servers/ferretdb-server';

describe("the embedded FerretDB's share of the cores", () => {
  it.each([
    [1, '1'],
    [2, '1'],
    [3, '1'],
    [8, '4'],
  ])('half of %i cores, at least one: %s', (cores, procs) => {
    expect(ferretDbProcs({}, cores)).toBe(procs);
  });

  it('is what GOMAXPROCS says when the environment sets it', () => {
    expect(ferretDbProcs({ GOMAXPROCS: '3' }, 2)).toBe('3');
  });
});
