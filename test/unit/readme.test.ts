import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigSchema } from '../../infra/config';
import { LauncherSchema } from '../../scripts/launcher-config';

const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const ciRun = readFileSync(path.join(__dirname, '..', '..', '.ci', 'run'), 'utf8');

describe('README', () => {
  it.each([...Object.keys(ConfigSchema.shape), ...Object.keys(LauncherSchema.shape)])(
    'documents the %s variable in a configuration table',
    (name) => {
      expect(readme).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
    },
  );

  it('gives the two commands CI runs', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('`npm test`');
    expect(ciRun).toMatch(/^npm test$/m);
  });
});
