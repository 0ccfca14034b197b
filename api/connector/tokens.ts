/** The Connector's one-time tokens: made and hashed in pki/, shared with the Provisioner's activities. */
export { hashToken, newOneTimeToken } from '../../pki/one-time-token';
