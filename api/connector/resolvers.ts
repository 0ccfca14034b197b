import { InvalidOperationError } from '../../domain/errors';
import type { Resolvers } from '../generated/connector';

/** Connector resolvers: the service decides; a token or certificate authorises. */
export const connectorResolvers: Resolvers = {
  Query: {
    configuration: (_, __, ctx) => ctx.connector.configuration(ctx.token),
  },
  Mutation: {
    signCertificateSigningRequest: (_, { csr }, ctx) => ctx.connector.signCsr(ctx.token, csr),
    revokeCertificate: () => {
      throw new InvalidOperationError(
        'revocation needs the client certificate: call it on the mTLS listener',
      );
    },
  },
};
