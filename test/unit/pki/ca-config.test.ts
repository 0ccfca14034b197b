import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../infra/config';
import { loadCa } from '../../../infra/trust';
import { CA_CERTIFICATE_FILE, CA_KEY_FILE, loadOrCreateCa } from '../../../pki';
import { fixTempDir } from './fixtures';

describe('where the CA comes from', () => {
  const temp = fixTempDir();
  afterAll(() => temp.remove());

  async function operatorCa() {
    const dir = path.join(temp.dir, 'operator');
    const ca = await loadOrCreateCa({ dir, keyType: 'rsa' });
    const certFile = path.join(dir, CA_CERTIFICATE_FILE);
    const keyFile = path.join(dir, CA_KEY_FILE);
    return {
      ca,
      certFile,
      keyFile,
      certPem: readFileSync(certFile, 'utf8'),
      keyPem: readFileSync(keyFile, 'utf8'),
    };
  }

  it('loads the operator’s CA from files or from PEM text, the same CA either way', async () => {
    const op = await operatorCa();
    const fromFiles = await loadCa(
      loadConfig({ DATA_DIR: temp.dir, CA_CERT_FILE: op.certFile, CA_KEY_FILE: op.keyFile }),
    );
    const fromPem = await loadCa(
      loadConfig({ DATA_DIR: temp.dir, CA_CERT_PEM: op.certPem, CA_KEY_PEM: op.keyPem }),
    );
    expect(fromFiles.certificatePem).toBe(op.ca.certificatePem);
    expect(fromPem.certificatePem).toBe(op.ca.certificatePem);
  });

  it('refuses half a CA, or files and PEM text together', async () => {
    const op = await operatorCa();
    const refused = [
      { CA_CERT_PEM: op.certPem },
      { CA_KEY_FILE: op.keyFile },
      { CA_CERT_PEM: op.certPem, CA_KEY_PEM: op.keyPem, CA_CERT_FILE: op.certFile, CA_KEY_FILE: op.keyFile },
    ];
    for (const env of refused) {
      await expect(loadCa(loadConfig({ DATA_DIR: temp.dir, ...env }))).rejects.toThrow(ConfigError);
    }
  });

  it('creates its own CA under the data directory when none is given', async () => {
    const ca = await loadCa(loadConfig({ DATA_DIR: temp.dir }));
    expect(readFileSync(path.join(temp.dir, 'ca', CA_CERTIFICATE_FILE), 'utf8')).toBe(ca.certificatePem);
  });
});
