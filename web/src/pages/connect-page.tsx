import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ApiError } from '../api/api-error';
import { api, type IntegrationSummary } from '../api/oo-api';
import { connectOutcome } from '../integrations/connect-outcome';
import { Link } from '../routing/link';
import { replaceAddressQuietly } from '../routing/location-store';
import { useLocation } from '../routing/use-location';
import { LoadingNotice } from '../ui/loading-notice';
import { PageHeading } from '../ui/page-heading';
import { ProblemNotice } from '../ui/problem-notice';
import { StatusMessage } from '../ui/status-message';
import { useDocumentTitle } from '../ui/use-document-title';
import { failureSaying, useSending } from '../ui/use-sending';

type Load =
  | { state: 'loading' }
  | { state: 'ready'; todoist: IntegrationSummary | undefined }
  | { state: 'failed'; error: unknown };

/** Where starting the OAuth dance lives: a full page navigation to the gateway. */
const TODOIST_CONNECT = '/integrations/todoist/connect';

/** `/connect`: the task apps oO can read, how each connection stands, and how to change it. */
export function ConnectPage() {
  useDocumentTitle('Connect your apps');
  const { pathname, query } = useLocation();
  // The OAuth callback's outcome arrives in the query: said once, then dropped from the address.
  const [message, setMessage] = useState(() => connectOutcome(query));
  useEffect(() => {
    if (query.has('connected') || query.has('error')) replaceAddressQuietly(pathname);
  }, [pathname, query]);

  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setLoad({ state: 'loading' });
    api.integrations(controller.signal).then(
      (list) => setLoad({ state: 'ready', todoist: list.find((i) => i.provider === 'todoist') }),
      (error: unknown) => {
        if (controller.signal.aborted || (error instanceof ApiError && error.status === 401))
          return;
        setLoad({ state: 'failed', error });
      },
    );
    return () => controller.abort();
  }, [attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  if (load.state === 'failed') {
    return (
      <main className="page narrow">
        <ProblemNotice error={load.error} onRetry={reload} />
        <Link to="/">Back to your tip</Link>
      </main>
    );
  }

  return (
    <main className="page narrow">
      <PageHeading>Connect your apps</PageHeading>
      <StatusMessage>{message}</StatusMessage>
      <LoadingNotice loading={load.state === 'loading'} />
      {load.state === 'ready' && (
        <ul className="integrations">
          <TodoistItem
            todoist={load.todoist}
            onDisconnected={() => {
              setMessage('Todoist is disconnected.');
              reload();
            }}
          />
        </ul>
      )}
      <p>
        <Link to="/">Back to your tip</Link>
      </p>
    </main>
  );
}

type IntegrationStatus = IntegrationSummary['status'];

const STATUS_WORDS: Record<IntegrationStatus, string> = {
  ok: 'Connected',
  syncing: 'Connected — reading your tasks…',
  needs_reconnect: "Todoist stopped accepting oO's access — reconnect to continue",
  rate_limited: 'Todoist asked us to slow down — tips may be a little behind',
  not_connected: 'Not connected',
};

function TodoistItem({
  todoist,
  onDisconnected,
}: {
  todoist: IntegrationSummary | undefined;
  onDisconnected: () => void;
}) {
  const status: IntegrationStatus = todoist?.status ?? 'not_connected';
  return (
    <li className="integration">
      <h2>Todoist</h2>
      <p className="quiet">{STATUS_WORDS[status]}</p>
      {status === 'not_connected' && (
        <a className="button primary" href={TODOIST_CONNECT}>
          Connect Todoist
        </a>
      )}
      {status === 'needs_reconnect' && (
        <a className="button primary" href={TODOIST_CONNECT}>
          Reconnect Todoist
        </a>
      )}
      {status !== 'not_connected' && <Disconnect onDisconnected={onDisconnected} />}
    </li>
  );
}

/** Disconnecting revokes oO's access and drops the tasks: asked twice, on the spot. */
function Disconnect({ onDisconnected }: { onDisconnected: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const { sending, problem, send } = useSending(async () => {
    await api.disconnectTodoist();
    onDisconnected();
  }, failureSaying('disconnect'));

  if (!confirming) {
    return (
      <button type="button" className="button" onClick={() => setConfirming(true)}>
        Disconnect Todoist
      </button>
    );
  }
  return (
    <div role="group" aria-label="Disconnect Todoist?" className="confirm">
      <p>Disconnect Todoist? Your tasks leave oO and its access is revoked.</p>
      {problem && (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}
      <div className="actions">
        <ConfirmButton disabled={sending} onClick={send}>
          Yes, disconnect
        </ConfirmButton>
        <button type="button" className="button" onClick={() => setConfirming(false)}>
          Keep it
        </button>
      </div>
    </div>
  );
}

/** Takes focus when it appears, so the confirmation is where the keyboard already is. */
function ConfirmButton(props: { disabled: boolean; onClick: () => void; children: string }) {
  const button = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => button.current?.focus(), []);
  return (
    <button
      ref={button}
      type="button"
      className="button danger"
      disabled={props.disabled}
      onClick={props.onClick}
    >
      {props.children}
    </button>
  );
}
