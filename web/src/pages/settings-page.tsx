import { useId, useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import { api } from '../api/oo-api';
import { forgetThisDevice } from '../push/push-device';
import { navigate } from '../routing/location-store';
import { Link } from '../routing/link';
import { useSessionStore, useSignedIn } from '../session/session-context';
import { DeleteAccountDialog } from '../settings/delete-account-dialog';
import { NotificationsSection } from '../settings/notifications-section';
import {
  changesBetween,
  FIELD_LABELS,
  formOf,
  timeZoneChoices,
  type SettingsForm,
} from '../settings/profile-changes';
import { PageHeading } from '../ui/page-heading';
import { useDocumentTitle } from '../ui/use-document-title';

interface Problem {
  text: string;
  field: string | undefined;
}

/**
 * `/settings`: the account, time zone and quiet hours, notifications on this device, signing
 * out, and leaving for good.
 */
export function SettingsPage() {
  useDocumentTitle('Settings');
  const { session, profile } = useSignedIn();
  const { setSignedIn, forget } = useSessionStore();
  const [form, setForm] = useState<SettingsForm>(() => formOf(profile));
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [deleting, setDeleting] = useState(false);
  const zones = useMemo(() => timeZoneChoices(profile.timezone), [profile.timezone]);
  const problemId = useId();

  const change = (field: keyof SettingsForm) => (value: string) => {
    setForm((current) => ({ ...current, [field]: value }));
    setStatus('');
  };

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const changes = changesBetween(profile, form);
    setProblem(undefined);
    if (Object.keys(changes).length === 0) {
      setStatus('Saved.');
      return;
    }
    setSaving(true);
    setStatus('');
    try {
      const updated = await api.updateProfile(changes);
      setSignedIn({ session, profile: updated });
      setStatus('Saved.');
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setSaving(false);
    }
  }

  async function signOut() {
    setProblem(undefined);
    try {
      // While the session still lets the server be told: this browser stops getting the tips.
      await forgetThisDevice({ tellServer: true });
      await api.logout();
      forget();
      // Replaced, not pushed: Back must not lead to a signed-in page that is no more.
      navigate('/signin', { replace: true });
    } catch (error) {
      setProblem({ text: `Couldn't sign you out. ${messageOf(error)}`, field: undefined });
    }
  }

  const invalid = (field: string) =>
    problem?.field === field || problem?.field === field.split('.')[0] ? true : undefined;
  const describedBy = (field: string) => (invalid(field) ? problemId : undefined);

  return (
    <main className="page narrow settings">
      <PageHeading>Settings</PageHeading>

      <section aria-labelledby="account-heading">
        <h2 id="account-heading">Account</h2>
        <p className="account-name">{session.name}</p>
        <p className="quiet">{session.email}</p>
      </section>

      <form className="form" onSubmit={(event) => void save(event)} noValidate>
        <h2>Your day</h2>
        <label>
          Time zone
          <select
            value={form.timezone}
            onChange={(event) => change('timezone')(event.target.value)}
            aria-invalid={invalid('timezone')}
            aria-describedby={describedBy('timezone')}
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Quiet hours — no notifications between</legend>
          <div className="time-pair">
            <TimeField
              label="Quiet hours start"
              value={form.quietStart}
              onChange={change('quietStart')}
              invalid={invalid('quietHours.start')}
              describedBy={describedBy('quietHours.start')}
            />
            <TimeField
              label="Quiet hours end"
              value={form.quietEnd}
              onChange={change('quietEnd')}
              invalid={invalid('quietHours.end')}
              describedBy={describedBy('quietHours.end')}
            />
          </div>
        </fieldset>
        {problem && (
          <p role="alert" id={problemId} className="problem">
            {problem.text}
          </p>
        )}
        <p role="status" className="status">
          {status}
        </p>
        <button type="submit" className="button primary" disabled={saving}>
          Save
        </button>
      </form>

      <NotificationsSection />

      <section aria-labelledby="leave-heading" className="leave">
        <h2 id="leave-heading">Leave</h2>
        <div className="actions">
          <button type="button" className="button" onClick={() => void signOut()}>
            Sign out
          </button>
          <button type="button" className="button danger" onClick={() => setDeleting(true)}>
            Delete account
          </button>
        </div>
      </section>

      <p>
        <Link to="/">Back to your tip</Link>
      </p>

      {deleting && (
        <DeleteAccountDialog
          onCancel={() => setDeleting(false)}
          onDeleted={() => {
            forget();
            // Replaced, not pushed: Back must not lead to the settings of a deleted account.
            navigate('/signin?deleted=1', { replace: true });
          }}
        />
      )}
    </main>
  );
}

interface TimeFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  invalid: true | undefined;
  describedBy: string | undefined;
}

/** One end of the quiet hours: a labelled `<input type="time">`. */
function TimeField({ label, value, onChange, invalid, describedBy }: TimeFieldProps) {
  return (
    <label>
      {label}
      <input
        type="time"
        value={value}
        required
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={invalid}
        aria-describedby={describedBy}
      />
    </label>
  );
}

function problemOf(error: unknown): Problem {
  if (error instanceof ApiError && error.status === 400 && error.field) {
    const label = FIELD_LABELS[error.field] ?? error.field;
    return { text: `${label}: ${error.message}`, field: error.field };
  }
  return { text: `Couldn't save. ${messageOf(error)}`, field: undefined };
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : 'Something went wrong.';
