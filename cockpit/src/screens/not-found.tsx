import { MessageStrip } from '@ui5/webcomponents-react/MessageStrip';

export function NotFound({ what = 'This page' }: { what?: string }) {
  return (
    <MessageStrip design="Critical" hideCloseButton className="strip" data-testid="not-found">
      {what} does not exist (or is not visible to this tenant).
    </MessageStrip>
  );
}
