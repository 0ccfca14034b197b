import { ConfigError, loadConfig } from '../../infra/config';

describe('configuration', () => {
  it('has working defaults for the embedded stack', () => {
    expect(loadConfig({})).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 3000,
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      MONGODB_URI: 'mongodb://127.0.0.1:27017/compass',
    });
  });

  it('lists every invalid variable at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', MONGODB_URI: 'postgres://x', LOG_LEVEL: 'loud' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ PORT: 'eighty', MONGODB_URI: 'postgres://x' });
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        expect.stringMatching(/^PORT: /),
        'MONGODB_URI: must be a mongodb:// URI',
      ]);
    }
  });
});
