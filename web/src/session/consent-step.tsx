import { api, type Profile } from '../api/oo-api';
import { Link } from '../routing/link';
import { PageHeading } from '../ui/page-heading';
import { useDocumentTitle } from '../ui/use-document-title';
import { useSending } from '../ui/use-sending';
import { consentChanges } from './consent';

interface ConsentStepProps {
  profile: Profile;
  termsVersion: string;
  onAccepted: (profile: Profile) => void;
}

/** Before the first tip (and after the terms change): the terms, and one "I agree". */
export function ConsentStep({ profile, termsVersion, onAccepted }: ConsentStepProps) {
  useDocumentTitle('Before we start');
  const { sending, problem, send } = useSending(
    async () => onAccepted(await api.updateProfile(consentChanges(profile, termsVersion))),
    (error) => (error instanceof Error ? error.message : 'That did not work — try again.'),
  );

  return (
    <main className="page narrow">
      <PageHeading>Before we start</PageHeading>
      <p>
        oO reads the tasks of the apps you connect and shows you one at a time. Please read the{' '}
        <Link to="/legal/terms">Terms of Service</Link> and the{' '}
        <Link to="/legal/privacy">Privacy Policy</Link>.
      </p>
      {problem && (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}
      <button type="button" className="button primary" disabled={sending} onClick={send}>
        I agree
      </button>
    </main>
  );
}
