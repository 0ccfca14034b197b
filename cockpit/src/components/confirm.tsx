import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { Dialog } from '@ui5/webcomponents-react/Dialog';
import type { ReactNode } from 'react';

/** A confirmation before something that cannot be undone (unregister, delete). */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  text: string;
  action: string;
  busy?: boolean;
  children?: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog
      open={props.open}
      headerText={props.title}
      state="Critical"
      onClose={props.onCancel}
      footer={
        <Bar
          design="Footer"
          endContent={
            <>
              <Button design="Negative" disabled={props.busy} onClick={props.onConfirm}>
                {props.action}
              </Button>
              <Button design="Transparent" onClick={props.onCancel}>
                Cancel
              </Button>
            </>
          }
        />
      }
    >
      <p className="dialog-text">{props.text}</p>
      {props.children}
    </Dialog>
  );
}
