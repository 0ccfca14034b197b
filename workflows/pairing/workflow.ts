import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import {
  connectedSignal,
  getPairingQuery,
  issueTokenUpdate,
  type PairingArgs,
  redeemTokenUpdate,
  signCsrUpdate,
} from './messages';
import { Pairing } from './state';

/**
 * One pairing of an Application or Runtime: the one-time token is issued, redeemed for a CSR
 * token (Connector `configuration`), exchanged for a client certificate, and the pairing ends
 * at the first certificate-authenticated call. Each step is a message in the history; a token
 * not used in time is removed and the pairing ends as expired.
 */
export async function pairingWorkflow(args: PairingArgs): Promise<string> {
  const pairing = new Pairing(args);
  setHandler(issueTokenUpdate, () => pairing.issue(), { validator: () => pairing.validateIssue() });
  setHandler(redeemTokenUpdate, (hash) => pairing.redeem(hash), {
    validator: (hash) => pairing.validateRedeem(hash),
  });
  setHandler(signCsrUpdate, (input) => pairing.sign(input), {
    validator: (input) => pairing.validateSign(input),
  });
  setHandler(connectedSignal, () => pairing.connected());
  setHandler(getPairingQuery, () => ({ phase: pairing.phase }));

  const steps: Array<[from: string, windowMs: () => number]> = [
    ['new', () => 60_000],
    ['issued', () => pairing.tokenExpiresAt - Date.now()],
    ['redeemed', () => pairing.csrTokenExpiresAt - Date.now()],
    ['certified', () => args.connectWindowMs],
  ];
  for (const [from, windowMs] of steps) {
    if (pairing.phase !== from) break;
    const moved = await condition(() => pairing.phase !== from, Math.max(windowMs(), 1));
    if (!moved) {
      if (from !== 'new' && from !== 'certified') await pairing.expire();
      break;
    }
  }
  await condition(allHandlersFinished);
  return pairing.phase;
}
