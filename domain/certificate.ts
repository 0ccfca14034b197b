/**
 * What the Connector returns for a signed CSR (signCertificateSigningRequest, renewal): each
 * value is base64 of PEM. The pairing and certificate workflows answer with it.
 */
export interface CertificationResult {
  readonly certificateChain: string;
  readonly caCertificate: string;
  readonly clientCertificate: string;
  readonly hash: string;
  readonly notAfter: string;
  /** When the certificate was recorded (ISO): the start of its renewal schedule. */
  readonly issuedAt: string;
}
