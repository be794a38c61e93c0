import { api } from '../api/oo-api';
import { forgetThisDevice } from '../push/push-device';
import { ModalDialog } from '../ui/modal-dialog';
import { failureSaying, useSending } from '../ui/use-sending';

interface DeleteAccountDialogProps {
  onCancel: () => void;
  onDeleted: () => void;
}

/** The last question before everything goes: names exactly what goes. Cancel has the focus. */
export function DeleteAccountDialog({ onCancel, onDeleted }: DeleteAccountDialogProps) {
  const { sending, problem, send } = useSending(async () => {
    await api.deleteAccount();
    // The account is going: this browser stops getting its tips (the server forgets its devices
    // with it), and its session ends with it (its cookies too). Best effort: the deletion stands
    // whatever the answers.
    await forgetThisDevice({ tellServer: false });
    await api.logout().catch(() => undefined);
    onDeleted();
  }, failureSaying('delete your account'));

  return (
    <ModalDialog
      role="alertdialog"
      title="Delete your account?"
      description="This removes, from every part of oO and for good:"
      onClose={onCancel}
    >
      <ul>
        <li>your account and sign-in</li>
        <li>your settings</li>
        <li>your Todoist connection (oO's access is revoked)</li>
        <li>every tip and reaction</li>
        <li>what oO learned about you</li>
      </ul>
      {problem && (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button danger" disabled={sending} onClick={send}>
          Delete my account
        </button>
        <button type="button" className="button" data-autofocus onClick={onCancel}>
          Cancel
        </button>
      </div>
    </ModalDialog>
  );
}
