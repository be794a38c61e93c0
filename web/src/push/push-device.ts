import { api, type Profile } from '../api/oo-api';
import { PUSH_NOT_ALLOWED_TEXT } from './push-words';

/**
 * What this browser lets oO do about notifications: nothing at all (no service worker, Push API
 * or Notifications API, as in an insecure context or an old browser), or what the person
 * answered so far (`default`: not asked yet, or the question was closed unanswered).
 */
export type PushAbility = 'unsupported' | NotificationPermission;

export function pushAbility(): PushAbility {
  if (
    !('serviceWorker' in navigator) ||
    !('PushManager' in window) ||
    !('Notification' in window)
  ) {
    return 'unsupported';
  }
  return Notification.permission;
}

/** How long subscribing waits for oO's worker, which registers only once the page has loaded. */
export const WORKER_READY_MS = 10_000;

/**
 * How long subscribing waits for the browser's push service (Chromium reaches Google's over the
 * network; a build or network without it never answers).
 */
export const PUSH_SERVICE_MS = 20_000;

/**
 * What came of turning notifications on: on, or refused by the browser (now or earlier), which
 * only its site settings can change. A question closed unanswered is a failure: asking again is
 * allowed.
 */
export type TurnOnOutcome = { kind: 'on'; profile: Profile } | { kind: 'denied' };

/**
 * This device's subscription, if it has one. Asks the registration that exists, never waits for
 * one (`serviceWorker.ready` never settles where no worker was registered).
 */
export async function deviceSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration('/');
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/**
 * Asks for permission, subscribes this device with the server's key, tells the server where to
 * send, and turns push on for the person. Asking comes first: a browser shows the question only
 * while the click that led to it is fresh. Rejects when any step fails (the server's answer or
 * the push service's), or when the question was closed unanswered.
 */
export async function turnPushOn(): Promise<TurnOnOutcome> {
  const permission = await Notification.requestPermission();
  if (permission === 'denied') return { kind: 'denied' };
  if (permission !== 'granted') throw new Error(PUSH_NOT_ALLOWED_TEXT);
  const [registration, { publicKey }] = await Promise.all([workerReady(), api.vapidPublicKey()]);
  const subscription = await subscriptionFor(registration.pushManager, keyBytes(publicKey));
  await api.subscribePush(subscription.toJSON());
  return { kind: 'on', profile: await api.updateProfile({ push: { enabled: true } }) };
}

/**
 * Stops tips to this device only: the person's other devices, and `push.enabled`, stay as they
 * are. The server forgets it first (a failure there leaves everything as it was, to try again),
 * then the browser drops the subscription.
 */
export async function turnPushOffHere(): Promise<void> {
  const subscription = await deviceSubscription();
  if (!subscription) return;
  await api.unsubscribePush(subscription.endpoint);
  await subscription.unsubscribe();
}

/** How long signing out waits, at most, for this device to be forgotten. */
export const FORGET_DEVICE_MS = 2000;

/**
 * Before signing out, or once the account is deleted: this browser stops getting the person's
 * tips, so the next person to use it does not see them. The server is told only while the
 * session lasts (`tellServer`; a deletion forgets every device anyway). Best effort: never
 * rejects, and stops waiting after FORGET_DEVICE_MS (what is under way goes on).
 */
export function forgetThisDevice({ tellServer }: { tellServer: boolean }): Promise<void> {
  const forgetting = (async () => {
    if (pushAbility() === 'unsupported') return;
    const subscription = await deviceSubscription();
    if (!subscription) return;
    // Side by side: the browser drops it even when the server does not answer.
    await Promise.allSettled([
      tellServer ? api.unsubscribePush(subscription.endpoint) : undefined,
      subscription.unsubscribe(),
    ]);
  })();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, FORGET_DEVICE_MS);
    void forgetting
      .catch((error: unknown) => console.warn("Couldn't forget this device's push.", error))
      .finally(() => {
        clearTimeout(timer);
        resolve();
      });
  });
}

/**
 * Whether this device gets tips: it has a subscription, made with the server's key of now (one
 * made with an older key is refused by the push service).
 */
export async function subscribedWithServerKey(): Promise<boolean> {
  const subscription = await deviceSubscription();
  if (!subscription) return false;
  const { publicKey } = await api.vapidPublicKey();
  return sameBytes(subscription.options.applicationServerKey, keyBytes(publicKey));
}

/**
 * Keeps this device's subscription good, for a person with push on, in the background of a
 * page load: one made with a key the server no longer has is replaced (no question asked:
 * permission was granted before), and either is sent again. Sending is idempotent, and moves a
 * device someone else used before to the person signed in now. It also catches up with a
 * subscription the browser replaced by itself (`pushsubscriptionchange`, which the worker cannot
 * tell the server). Resolves with the device's subscription, or null when it has none to keep.
 */
export async function renewThisDevice(): Promise<PushSubscription | null> {
  if (pushAbility() !== 'granted') return null;
  const registration = await navigator.serviceWorker.getRegistration('/');
  const existing = await registration?.pushManager.getSubscription();
  if (!registration || !existing) return null;
  const { publicKey } = await api.vapidPublicKey();
  const subscription = await subscriptionFor(registration.pushManager, keyBytes(publicKey));
  await api.subscribePush(subscription.toJSON());
  return subscription;
}

/**
 * The device's subscription when it was made with this key; else a new one. One made with another
 * key (the server's was replaced) is dropped first: the browser allows one per registration, and
 * the server can no longer sign for it (it forgets the endpoint once the push service says gone).
 */
async function subscriptionFor(
  pushManager: PushManager,
  key: Uint8Array<ArrayBuffer>,
): Promise<PushSubscription> {
  const existing = await pushManager.getSubscription();
  if (existing) {
    if (sameBytes(existing.options.applicationServerKey, key)) return existing;
    await existing.unsubscribe();
  }
  // A browser whose push service cannot be reached (no network to it, a build without one)
  // may never settle this: the person hears so instead of waiting on a button forever.
  return within(
    pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }),
    PUSH_SERVICE_MS,
    "This browser's push service didn't answer. Try again later.",
  );
}

function workerReady(): Promise<ServiceWorkerRegistration> {
  return within(
    navigator.serviceWorker.ready,
    WORKER_READY_MS,
    "oO's service worker isn't running — reload the page and try again.",
  );
}

/** `work`, or a failure saying `message` once `ms` have passed without an answer. */
function within<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    void work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/** The server's key, base64url, as the bytes of an uncompressed P-256 point (65, 0x04 first). */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replaceAll('-', '+').replaceAll('_', '/');
  const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) =>
    c.charCodeAt(0),
  );
  if (bytes.length !== 65 || bytes[0] !== 4) throw new Error("oO's push key is not usable.");
  return bytes;
}

function sameBytes(buffer: ArrayBuffer | null, bytes: Uint8Array): boolean {
  if (buffer === null || buffer.byteLength !== bytes.length) return false;
  const other = new Uint8Array(buffer);
  return bytes.every((byte, index) => other[index] === byte);
}
