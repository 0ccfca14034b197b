export {
  CA_CERTIFICATE_FILE,
  CA_KEY_FILE,
  type CaKeyType,
  CertificateAuthority,
  loadCaFromPem,
  loadOrCreateCa,
  type LoadOrCreateCaOptions,
} from './ca';
export {
  certificateHash,
  type IssuedCertificate,
  type IssueOptions,
  issueClientCertificate,
} from './certificates';
export {
  issueServerCertificate,
  type ServerCertificate,
  type ServerCertificateOptions,
} from './server-certificate';
export { type CheckedCsr, MAX_CSR_BASE64_LENGTH, MAX_RSA_KEY_BITS, MIN_RSA_KEY_BITS, parseCsr } from './csr';
export { type CsrSubject } from './csr-subject';
export {
  CaConfigurationError,
  CsrError,
  CsrRejection,
  type CsrRejectionReason,
  CsrSignatureError,
  CsrSubjectMismatchError,
  CsrTooLargeError,
  MalformedCsrError,
  WeakCsrKeyError,
} from './errors';
