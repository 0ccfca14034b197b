import { AppError } from '../domain/errors';

/** Why a certificate signing request was refused; stable codes callers may branch on. */
export const CsrRejection = {
  Malformed: 'MALFORMED',
  BadSignature: 'BAD_SIGNATURE',
  SubjectMismatch: 'SUBJECT_MISMATCH',
  WeakKey: 'WEAK_KEY',
  TooLarge: 'TOO_LARGE',
} as const;
export type CsrRejectionReason = (typeof CsrRejection)[keyof typeof CsrRejection];

/**
 * Base of every CSR refusal. It is an InvalidData error (the client sent a bad request, a
 * retry cannot help); `reason` says which check failed and the message says it as Compass does.
 */
export class CsrError extends AppError {
  readonly reason: CsrRejectionReason;

  constructor(reason: CsrRejectionReason, message: string) {
    super('InvalidData', message);
    this.reason = reason;
  }
}

/** Thrown when the CSR is not base64 of exactly one PEM PKCS#10 request, or its key is not RSA. */
export class MalformedCsrError extends CsrError {
  constructor(message: string) {
    super(CsrRejection.Malformed, message);
  }
}

/** Thrown when the CSR's self-signature does not verify with its own public key. */
export class CsrSignatureError extends CsrError {
  constructor(message = 'CSR: Invalid signature.') {
    super(CsrRejection.BadSignature, message);
  }
}

/** Thrown when the CSR's subject is not exactly the subject the Connector expects. */
export class CsrSubjectMismatchError extends CsrError {
  constructor(message: string) {
    super(CsrRejection.SubjectMismatch, message);
  }
}

/** Thrown when the CSR's RSA key is shorter than 2048 bits or has an unsafe public exponent. */
export class WeakCsrKeyError extends CsrError {
  constructor(message: string) {
    super(CsrRejection.WeakKey, message);
  }
}

/** Thrown when the CSR (or its RSA modulus) exceeds the size the Connector will process. */
export class CsrTooLargeError extends CsrError {
  constructor(message: string) {
    super(CsrRejection.TooLarge, message);
  }
}

/**
 * Thrown when the CA key or certificate cannot be used: unreadable, mismatched, not a CA,
 * an unsupported key type, or a half-written pair on disk. An operator must fix it.
 */
export class CaConfigurationError extends Error {
  override readonly name = 'CaConfigurationError';
}
