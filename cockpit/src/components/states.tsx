import { BusyIndicator } from '@ui5/webcomponents-react/BusyIndicator';
import { MessageStrip } from '@ui5/webcomponents-react/MessageStrip';
import type { CombinedError } from 'urql';
import { errorCode, errorMessage } from '../errors';

/** An operation's failure with the API's own message and error code. */
export function ErrorStrip({ error, onClose }: { error: CombinedError | undefined; onClose?: () => void }) {
  if (!error) return null;
  const code = errorCode(error);
  return (
    <MessageStrip
      design="Negative"
      className="strip"
      role="alert"
      hideCloseButton={!onClose}
      {...(onClose ? { onClose } : {})}
    >
      {errorMessage(error)}
      {code !== undefined ? ` (error code ${code})` : ''}
    </MessageStrip>
  );
}

export function Loading({ text = 'Loading…' }: { text?: string }) {
  return (
    <div className="loading">
      <BusyIndicator active size="M" aria-label={text} />
    </div>
  );
}
