import { onTestFinished, vi } from 'vitest';
import { VAPID_KEY_BYTES } from './fake-server';

export interface FakePushOptions {
  /** `Notification.permission` when the page opens; `default` unless told. */
  permission?: NotificationPermission;
  /** What the person answers when the browser asks; `granted` unless told. */
  answer?: NotificationPermission;
  /** This device's subscription when the page opens: none, or one made with this key. */
  subscribedWith?: Uint8Array;
  /** False: no worker ever becomes ready (`navigator.serviceWorker.ready` never settles). */
  workerReady?: boolean;
  /** False: the browser's push service never answers (`pushManager.subscribe` never settles). */
  pushServiceAnswers?: boolean;
}

/**
 * The browser's push machinery, which jsdom lacks: `Notification`, `PushManager` and a
 * registered service worker whose push manager subscribes at once, each subscription with an
 * endpoint of its own. Gone after the test.
 */
export function fakeBrowserPush(options: FakePushOptions = {}) {
  let permission: NotificationPermission = options.permission ?? 'default';
  // As a browser does: asks only while nobody answered yet.
  const requestPermission = vi.fn(async (): Promise<NotificationPermission> => {
    if (permission === 'default') permission = options.answer ?? 'granted';
    return permission;
  });
  vi.stubGlobal('Notification', {
    get permission() {
      return permission;
    },
    requestPermission,
  });
  vi.stubGlobal('PushManager', class PushManager {});

  let devices = 0;
  let current: FakeSubscription | null = null;
  function subscription(key: Uint8Array): FakeSubscription {
    devices += 1;
    const endpoint = `https://push.example.test/send/device-${devices}`;
    const made: FakeSubscription = {
      endpoint,
      options: { userVisibleOnly: true, applicationServerKey: key.slice().buffer },
      unsubscribe: vi.fn(async () => {
        if (current === made) current = null;
        return true;
      }),
      toJSON: () => ({
        endpoint,
        expirationTime: null,
        keys: { p256dh: `B${'A'.repeat(85)}${devices}`, auth: `${'a'.repeat(21)}${devices}` },
      }),
    };
    return made;
  }
  if (options.subscribedWith) current = subscription(options.subscribedWith);
  const initial = current;

  const pushManager = {
    getSubscription: vi.fn(async () => current),
    // As a browser does: one subscription per registration, and none for a second key.
    subscribe: vi.fn(async (init: PushSubscriptionOptionsInit) => {
      if (options.pushServiceAnswers === false) await new Promise<never>(() => undefined);
      const key = bytesOf(init.applicationServerKey);
      if (current === null) current = subscription(key);
      else if (!sameBytes(current.options.applicationServerKey, key)) {
        throw new DOMException('A subscription with a different key exists', 'InvalidStateError');
      }
      return current;
    }),
  };
  const registration = { pushManager };
  Object.defineProperty(navigator, 'serviceWorker', {
    configurable: true,
    value: {
      ready:
        options.workerReady === false
          ? new Promise<never>(() => undefined)
          : Promise.resolve(registration),
      getRegistration: vi.fn(async () => registration),
    },
  });
  onTestFinished(() => {
    Reflect.deleteProperty(navigator, 'serviceWorker');
  });

  return {
    requestPermission,
    subscribe: pushManager.subscribe,
    getSubscription: pushManager.getSubscription,
    /** The subscription this device opened with, if any. */
    initial,
    /** This device's subscription now. */
    current: () => current,
  };
}

export interface FakeSubscription {
  endpoint: string;
  options: { userVisibleOnly: boolean; applicationServerKey: ArrayBuffer };
  unsubscribe: () => Promise<boolean>;
  toJSON: () => PushSubscriptionJSON;
}

/** A key of another server (or an older one of ours). */
export const OTHER_KEY_BYTES = VAPID_KEY_BYTES.map((byte, index) => (index === 0 ? 4 : 255 - byte));

function bytesOf(key: BufferSource | string | null | undefined): Uint8Array {
  if (ArrayBuffer.isView(key)) return new Uint8Array(key.buffer, key.byteOffset, key.byteLength);
  if (key instanceof ArrayBuffer) return new Uint8Array(key);
  throw new TypeError('the fake takes the key as bytes, as the app gives it');
}

const sameBytes = (buffer: ArrayBuffer, bytes: Uint8Array): boolean =>
  new Uint8Array(buffer).join() === bytes.join();
