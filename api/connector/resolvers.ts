import { UnauthorizedError } from '../../domain/errors';
import type { Resolvers } from '../generated/connector';

/**
 * Connector resolvers: the service decides; a token or certificate authorises. A client
 * certificate (mTLS listener) takes precedence: it renews and revokes without a token.
 */
export const connectorResolvers: Resolvers = {
  Query: {
    configuration: (_, __, ctx) =>
      ctx.certificate
        ? ctx.connector.configurationForCertificate(ctx.certificate)
        : ctx.connector.configuration(ctx.token),
  },
  Mutation: {
    signCertificateSigningRequest: (_, { csr }, ctx) =>
      ctx.certificate ? ctx.connector.renew(ctx.certificate, csr) : ctx.connector.signCsr(ctx.token, csr),
    revokeCertificate: (_, __, ctx) => {
      if (!ctx.certificate) {
        throw new UnauthorizedError('revocation needs the client certificate: call it on the mTLS listener');
      }
      return ctx.connector.revoke(ctx.certificate);
    },
  },
};
