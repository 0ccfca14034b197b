import '@ui5/webcomponents-icons/dist/key.js';
import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { Card } from '@ui5/webcomponents-react/Card';
import { CardHeader } from '@ui5/webcomponents-react/CardHeader';
import { Label } from '@ui5/webcomponents-react/Label';
import { MessageStrip } from '@ui5/webcomponents-react/MessageStrip';
import { TextArea } from '@ui5/webcomponents-react/TextArea';
import { Title } from '@ui5/webcomponents-react/Title';
import { useState } from 'react';
import { config } from './config';
import { decodeClaims, session, type SignInReason } from './session';

const REASONS: Record<SignInReason, string | undefined> = {
  none: undefined,
  expired: 'Your token has expired or was rejected by the gateway. Sign in again.',
  insufficient: 'Your token does not hold the scopes the Cockpit needs. Sign in with another token.',
};

/**
 * Sign-in: paste a bearer token (kept in this tab's session storage only). On a loopback
 * gateway the local development issuer's token is offered, as in GraphiQL.
 */
export function SignIn({ reason }: { reason: SignInReason }) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string>();
  const message = REASONS[reason];
  const submit = () => {
    const trimmed = token.trim().replace(/^Bearer\s+/i, '');
    const claims = decodeClaims(trimmed);
    if (!claims) return setProblem('This is not a JWT: paste the token as `npm run -s token` prints it.');
    if (claims.exp !== undefined && claims.exp * 1000 <= Date.now())
      return setProblem('This token has expired.');
    session.signIn(trimmed);
  };
  return (
    <main className="sign-in" data-testid="sign-in">
      <Card header={<CardHeader titleText="Sign in to Cockpit" subtitleText="Compass on Temporal" />}>
        <div className="sign-in-body">
          {message && (
            <MessageStrip design="Critical" hideCloseButton data-testid="sign-in-reason">
              {message}
            </MessageStrip>
          )}
          {problem && (
            <MessageStrip design="Negative" hideCloseButton role="alert">
              {problem}
            </MessageStrip>
          )}
          <Title level="H5">Bearer token</Title>
          <Label for="token" showColon>
            Token
          </Label>
          <TextArea
            id="token"
            rows={5}
            value={token}
            accessibleName="Bearer token"
            placeholder="eyJhbGciOi…"
            onInput={(e) => setToken(e.target.value)}
          />
          <Bar
            design="Footer"
            endContent={
              <>
                {config.devToken && (
                  <Button design="Transparent" onClick={() => session.signIn(config.devToken!)}>
                    Use the local development token
                  </Button>
                )}
                <Button design="Emphasized" icon="key" onClick={submit}>
                  Sign in
                </Button>
              </>
            }
          />
          <p className="muted small">
            The token stays in this browser tab only. Get one with <code>npm run -s token</code>.
          </p>
        </div>
      </Card>
    </main>
  );
}
