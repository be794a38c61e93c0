// The calls the app makes, typed by the contracts generated from schemas/ (types only: the
// contracts package's runtime code is for Node).
import type {
  DevLoginBody,
  IntegrationSummary,
  LegalResponse,
  NotifierSubscribeResponse,
  NotifierVapidPublicKeyResponse,
  ProfileChanges,
  ProfileGetResponse,
  SessionResponse,
  SignInMethods,
  Tip,
  TipReactionBody,
} from '@oo/contracts';
import { request } from './http-client';

export type { IntegrationSummary, ProfileGetResponse as Profile, SessionResponse as Session, Tip };
export type LegalDocument = LegalResponse['document'];
export type TipReaction = TipReactionBody['action'];

type Signal = AbortSignal | undefined;

export const api = {
  signInMethods: (signal?: Signal) =>
    request('/auth/methods', { signal }).then((r) => r.body as SignInMethods),
  devLogin: (body: DevLoginBody) => request('/auth/dev-login', { method: 'POST', body }),
  logout: () => request('/auth/logout', { method: 'POST' }),

  session: (signal?: Signal) =>
    request('/api/session', { signal }).then((r) => r.body as SessionResponse),
  profile: (signal?: Signal) =>
    request('/api/me', { signal }).then((r) => r.body as ProfileGetResponse),
  updateProfile: (changes: ProfileChanges) =>
    request('/api/me', { method: 'PATCH', body: changes }).then(
      (r) => r.body as ProfileGetResponse,
    ),
  deleteAccount: () => request('/api/me', { method: 'DELETE' }),
  legal: (document: LegalDocument, signal?: Signal) =>
    request(`/api/legal/${document}`, { signal }).then((r) => r.body as LegalResponse),

  /** The tip for now, or null when there is nothing to suggest (204). */
  currentTip: (signal?: Signal) =>
    request('/api/tip', { signal }).then((r) => (r.status === 204 ? null : (r.body as Tip))),
  tip: (tipId: string, signal?: Signal) =>
    request(`/api/tips/${encodeURIComponent(tipId)}`, { signal }).then((r) => r.body as Tip),
  react: (tipId: string, body: TipReactionBody) =>
    request(`/api/tips/${encodeURIComponent(tipId)}/feedback`, { method: 'POST', body }),

  integrations: (signal?: Signal) =>
    request('/api/integrations', { signal }).then((r) => r.body as IntegrationSummary[]),
  disconnectTodoist: () => request('/api/integrations/todoist', { method: 'DELETE' }),

  /** The key this browser subscribes with (PushManager.subscribe's applicationServerKey). */
  vapidPublicKey: (signal?: Signal) =>
    request('/api/push/vapid-public-key', { signal }).then(
      (r) => r.body as NotifierVapidPublicKeyResponse,
    ),
  /** Sends tips to this device: its subscription exactly as PushSubscription.toJSON() gives it. */
  subscribePush: (subscription: PushSubscriptionJSON) =>
    request('/api/push/subscriptions', { method: 'POST', body: subscription }).then(
      (r) => r.body as NotifierSubscribeResponse,
    ),
  unsubscribePush: (endpoint: string) =>
    request('/api/push/subscriptions', { method: 'DELETE', body: { endpoint } }),
};
