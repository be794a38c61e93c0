// GENERATED from schemas/ by `npm run contracts:generate`. Do not edit.

export const envelopeSchema = {
  title: 'Envelope',
  description:
    'Every signal on JetStream is one envelope. The publisher sets Nats-Msg-Id to id. WARNING: a contract other services and operators rely on; never change a field in place.',
  type: 'object',
  required: ['id', 'type', 'version', 'occurredAt', 'userId', 'data'],
  additionalProperties: false,
  properties: {
    id: { description: 'UUIDv7 (time-ordered).', type: 'string', format: 'uuid' },
    type: { type: 'string', pattern: '^[a-z_]+\\.[a-z_]+$' },
    version: { type: 'integer', minimum: 1 },
    occurredAt: { type: 'string', format: 'date-time' },
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    data: { type: 'object' },
  },
} as const;
export const integrationConnectedV1Schema = {
  title: 'IntegrationConnectedV1',
  description: 'signals.integration.connected.<userId>.',
  type: 'object',
  required: ['provider'],
  properties: { provider: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' } },
} as const;
export const integrationDisconnectedV1Schema = {
  title: 'IntegrationDisconnectedV1',
  description: 'signals.integration.disconnected.<userId>.',
  type: 'object',
  required: ['provider'],
  properties: { provider: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' } },
} as const;
export const profileUpdatedV1Schema = {
  title: 'ProfileUpdatedV1',
  description:
    "signals.profile.updated.<userId>: the user's settings that decide when to push, whole after every change (a consumer keeps the newest by updatedAt).",
  type: 'object',
  required: ['timezone', 'quietHours', 'push', 'updatedAt'],
  properties: {
    timezone: {
      description:
        "An IANA time zone name, e.g. Europe/Berlin (checked against the runtime's zone list).",
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z][A-Za-z0-9_+\\-/]*$',
    },
    quietHours: {
      description:
        "No push between start and end on the user's clock; end before start crosses midnight (22:00–07:00).",
      type: 'object',
      required: ['start', 'end'],
      additionalProperties: false,
      properties: {
        start: {
          description: 'A wall-clock time HH:MM (24 h).',
          type: 'string',
          pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
        },
        end: {
          description: 'A wall-clock time HH:MM (24 h).',
          type: 'string',
          pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
        },
      },
    },
    push: {
      description: 'Whether the user wants push notifications.',
      type: 'object',
      required: ['enabled'],
      additionalProperties: false,
      properties: { enabled: { type: 'boolean' } },
    },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;
export const pushSentV1Schema = {
  title: 'PushSentV1',
  description:
    'signals.push.sent.<userId>: the outcome of one Web Push delivery attempt to one device.',
  type: 'object',
  required: ['tipId', 'endpointHash', 'status'],
  properties: {
    tipId: { type: 'string', format: 'uuid' },
    endpointHash: {
      description: 'SHA-256 of the push endpoint (hex); the endpoint itself is a secret.',
      type: 'string',
      pattern: '^[0-9a-f]{64}$',
    },
    status: {
      description:
        'sent: the push service accepted it (201/202); gone: the subscription no longer exists (404/410; deleted here); failed: 5xx, timeout or network, after the bounded retries; rate_limited: 429, not retried before Retry-After; rejected: 400/401/403/413, a configuration error (added to v1 additively).',
      type: 'string',
      enum: ['sent', 'failed', 'gone', 'rate_limited', 'rejected'],
    },
    statusCode: {
      description: "The push service's HTTP status; absent when none came (timeout, network).",
      type: 'integer',
      minimum: 100,
      maximum: 599,
    },
    attempts: {
      description: 'Requests made for this outcome (retries included).',
      type: 'integer',
      minimum: 1,
    },
  },
} as const;
export const taskCompletedV1Schema = {
  title: 'TaskCompletedV1',
  description: 'signals.task.completed.<userId>: a task was closed, in the source app or by oO.',
  type: 'object',
  required: ['source', 'taskId', 'completedAt', 'via'],
  properties: {
    source: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' },
    taskId: { type: 'string', minLength: 1, maxLength: 128 },
    completedAt: { type: 'string', format: 'date-time' },
    via: { type: 'string', enum: ['webhook', 'reconcile', 'oo'] },
  },
} as const;
export const taskSyncedV1Schema = {
  title: 'TaskSyncedV1',
  description: 'signals.task.synced.<userId>: the full set of open tasks read from one source.',
  type: 'object',
  required: ['source', 'tasks'],
  properties: {
    source: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' },
    tasks: {
      type: 'array',
      maxItems: 5000,
      items: {
        title: 'SyncedTask',
        description:
          'One open task as oO reads it from a task app (signals.task.synced, rpc.integrations.tasks).',
        type: 'object',
        required: ['taskId', 'title', 'priority', 'due', 'addedAt', 'isRecurring'],
        properties: {
          taskId: { type: 'string', minLength: 1, maxLength: 128 },
          title: { type: 'string', maxLength: 2000 },
          priority: {
            description: '1 (normal) to 4 (urgent).',
            type: 'integer',
            minimum: 1,
            maximum: 4,
          },
          due: {
            description:
              "A date (all-day), a date-time with an offset (a fixed instant), a date-time without one (floating: read it on the user's own clock), or null when the task has no due date.",
            anyOf: [
              { type: 'string', format: 'date' },
              { type: 'string', format: 'date-time' },
              {
                type: 'string',
                pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?$',
              },
              { type: 'null' },
            ],
          },
          dueTimezone: {
            description:
              "The IANA zone the task's due time was set in; null (or absent) when the due time is floating — read in the user's own zone — or the task is all-day or has no due date.",
            anyOf: [
              {
                description:
                  "An IANA time zone name, e.g. Europe/Berlin (checked against the runtime's zone list).",
                type: 'string',
                minLength: 1,
                maxLength: 64,
                pattern: '^[A-Za-z][A-Za-z0-9_+\\-/]*$',
              },
              { type: 'null' },
            ],
          },
          addedAt: { type: 'string', format: 'date-time' },
          isRecurring: { type: 'boolean' },
          url: {
            description: 'Where the task opens in its app.',
            type: 'string',
            format: 'uri',
            maxLength: 2048,
          },
        },
      },
    },
  },
} as const;
export const tipFeedbackV1Schema = {
  title: 'TipFeedbackV1',
  description:
    'signals.tip.feedback.<userId>: a reaction to a tip and its reward; the scorer learns from (features, reward).',
  type: 'object',
  required: ['tipId', 'taskId', 'action', 'reward', 'policy', 'features', 'propensity'],
  properties: {
    tipId: { type: 'string', format: 'uuid' },
    taskId: { type: 'string', minLength: 1, maxLength: 128 },
    action: {
      type: 'string',
      enum: ['done', 'dismiss', 'snooze', 'helpful', 'not_helpful', 'expired'],
    },
    reward: { type: 'number', minimum: -1, maximum: 1 },
    policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
    features: { type: 'array', items: { type: 'number' }, minItems: 1, maxItems: 64 },
    propensity: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    shadow: {
      description:
        'The same reaction as seen by each shadow policy (its own features of the served task), so shadow models learn from every reaction too. Optional: older events have none.',
      type: 'array',
      maxItems: 16,
      items: {
        title: 'ShadowObservation',
        type: 'object',
        required: ['policy', 'features'],
        properties: {
          policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
          features: { type: 'array', items: { type: 'number' }, minItems: 1, maxItems: 64 },
        },
      },
    },
    source: {
      description:
        'Who reported the reaction: the user (the default when absent), or oO itself on seeing the task completed at its app (webhook, reconcile) or the tip expire. Only `user` closes the task at its app.',
      type: 'string',
      enum: ['user', 'webhook', 'reconcile', 'expiry'],
    },
  },
} as const;
export const tipServedV1Schema = {
  title: 'TipServedV1',
  description:
    'signals.tip.served.<userId>: one tip was shown (or pushed), with what the policy saw, so that any other policy can be evaluated offline.',
  type: 'object',
  required: [
    'tipId',
    'taskId',
    'policy',
    'features',
    'score',
    'propensity',
    'candidates',
    'channel',
    'shadow',
  ],
  properties: {
    tipId: { type: 'string', format: 'uuid' },
    taskId: { type: 'string', minLength: 1, maxLength: 128 },
    policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
    features: { type: 'array', items: { type: 'number' }, minItems: 1, maxItems: 64 },
    score: { type: 'number' },
    propensity: {
      description: 'Probability with which the live policy chose this tip.',
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
    },
    candidates: { type: 'integer', minimum: 1 },
    channel: { type: 'string', enum: ['web', 'push'] },
    shadow: {
      description: 'What each shadow policy would have chosen: scored and logged, never shown.',
      type: 'array',
      items: {
        title: 'ShadowChoice',
        type: 'object',
        required: ['policy', 'taskId', 'score', 'propensity'],
        properties: {
          policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
          taskId: { type: 'string', minLength: 1, maxLength: 128 },
          score: { type: 'number' },
          propensity: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
        },
      },
    },
  },
} as const;
export const userDeletedV1Schema = {
  title: 'UserDeletedV1',
  description:
    'signals.user.deleted.<userId>: every service that holds data of this user purges it and confirms.',
  type: 'object',
  required: ['requestedAt'],
  properties: { requestedAt: { type: 'string', format: 'date-time' } },
} as const;
export const userPurgedV1Schema = {
  title: 'UserPurgedV1',
  description:
    "signals.user.purged.<userId>: one service confirms it holds nothing of the user any more (the deletion saga's confirmations, counted by profile).",
  type: 'object',
  required: ['service'],
  properties: { service: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,31}$' } },
} as const;
export const userSignedUpV1Schema = {
  title: 'UserSignedUpV1',
  description: 'signals.user.signed_up.<userId>: the first sign-in created the user.',
  type: 'object',
  properties: {},
} as const;
export const keysRequestSchema = {
  title: 'KeysRequest',
  description:
    'rpc.auth.keys: the public keys that verify session tokens (the gateway verifies locally with them).',
  type: 'object',
  additionalProperties: false,
  properties: {},
} as const;
export const keysResponseSchema = {
  title: 'KeysResponse',
  description: 'A JWK set (RFC 7517) of ES256 P-256 public keys; the first signs new sessions.',
  type: 'object',
  required: ['keys'],
  properties: {
    keys: {
      type: 'array',
      minItems: 1,
      items: {
        title: 'SessionPublicKey',
        type: 'object',
        required: ['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use'],
        properties: {
          kty: { const: 'EC' },
          crv: { const: 'P-256' },
          x: { type: 'string' },
          y: { type: 'string' },
          kid: { type: 'string' },
          alg: { const: 'ES256' },
          use: { const: 'sig' },
        },
      },
    },
  },
} as const;
export const rpcErrorSchema = {
  title: 'RpcError',
  description: 'The `err` of a Nest NATS reply when an RPC fails.',
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: {
      type: 'string',
      enum: ['invalid_request', 'not_found', 'conflict', 'unavailable', 'internal'],
    },
    message: { type: 'string' },
    field: {
      description: 'JSON path of the offending field, when one field is at fault.',
      type: 'string',
    },
  },
} as const;
export const integrationsCompleteRequestSchema = {
  title: 'IntegrationsCompleteRequest',
  description:
    "rpc.integrations.complete: the provider's OAuth callback, passed on by the gateway: check the state against the session, exchange the code, store the tokens.",
  type: 'object',
  required: ['userId', 'sessionId', 'provider', 'state'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    sessionId: {
      description:
        "The id of the caller's session (the gateway's sid claim): an OAuth state is bound to it.",
      type: 'string',
      minLength: 1,
      maxLength: 128,
    },
    provider: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' },
    code: { type: 'string', minLength: 1, maxLength: 2048 },
    state: { type: 'string', maxLength: 512 },
    error: {
      description:
        "The provider's `error` query parameter (e.g. access_denied), when it sent one instead of a code.",
      type: 'string',
      maxLength: 256,
    },
  },
} as const;
export const integrationsCompleteResponseSchema = {
  title: 'IntegrationsCompleteResponse',
  type: 'object',
  required: ['outcome'],
  properties: {
    outcome: { type: 'string', enum: ['connected', 'error'] },
    error: {
      description:
        "Why the connection failed; the gateway sends the browser back with `?error=<this>`. account_in_use: that provider account is already connected to another oO user (webhooks name users by the provider's id, so one provider account serves one oO user).",
      type: 'string',
      enum: [
        'access_denied',
        'bad_state',
        'provider_down',
        'exchange_failed',
        'account_in_use',
        'unknown_provider',
      ],
    },
  },
} as const;
export const integrationsConnectUrlRequestSchema = {
  title: 'IntegrationsConnectUrlRequest',
  description:
    "rpc.integrations.connect_url: the provider's authorize URL, with an OAuth state bound to the caller's session.",
  type: 'object',
  required: ['userId', 'sessionId', 'provider'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    sessionId: {
      description:
        "The id of the caller's session (the gateway's sid claim): an OAuth state is bound to it.",
      type: 'string',
      minLength: 1,
      maxLength: 128,
    },
    provider: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' },
  },
} as const;
export const integrationsConnectUrlResponseSchema = {
  title: 'IntegrationsConnectUrlResponse',
  type: 'object',
  required: ['url'],
  properties: { url: { type: 'string', format: 'uri' } },
} as const;
export const integrationsDisconnectRequestSchema = {
  title: 'IntegrationsDisconnectRequest',
  description:
    "rpc.integrations.disconnect: revoke the provider's tokens and delete them with the user's task snapshot and cache.",
  type: 'object',
  required: ['userId', 'provider'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    provider: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' },
  },
} as const;
export const integrationsDisconnectResponseSchema = {
  title: 'IntegrationsDisconnectResponse',
  type: 'object',
  required: ['ok'],
  properties: { ok: { type: 'boolean' } },
} as const;
export const integrationsListRequestSchema = {
  title: 'IntegrationsListRequest',
  description:
    "rpc.integrations.list: every provider oO supports and how the user's connection to it stands.",
  type: 'object',
  required: ['userId'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
  },
} as const;
export const integrationsListResponseSchema = {
  title: 'IntegrationsListResponse',
  type: 'object',
  required: ['integrations'],
  properties: {
    integrations: {
      type: 'array',
      items: {
        title: 'IntegrationSummary',
        type: 'object',
        required: ['provider', 'connected', 'connectedAt', 'lastSyncAt', 'status'],
        properties: {
          provider: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' },
          connected: { type: 'boolean' },
          connectedAt: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
          lastSyncAt: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
          status: {
            description:
              "How a user's connection to a task app stands: ok; syncing (the first sync has not finished); needs_reconnect (the provider refused our tokens: the user must connect again); rate_limited (the provider asked us to wait); not_connected.",
            type: 'string',
            enum: ['ok', 'syncing', 'needs_reconnect', 'rate_limited', 'not_connected'],
          },
        },
      },
    },
  },
} as const;
export const integrationsTasksRequestSchema = {
  title: 'IntegrationsTasksRequest',
  description:
    "rpc.integrations.tasks: the user's open tasks, from the cache at once (refreshed in the background when stale); the recommender's only source of candidates.",
  type: 'object',
  required: ['userId'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    taskIds: {
      description:
        'Only these tasks: the reply holds those of them still open (none when none is), in the order of the set. For a caller that only checks tasks it already holds, e.g. that the task of a tip being shown again is still open.',
      type: 'array',
      maxItems: 200,
      items: { type: 'string', minLength: 1, maxLength: 128 },
    },
  },
} as const;
export const integrationsTasksResponseSchema = {
  title: 'IntegrationsTasksResponse',
  type: 'object',
  required: ['tasks', 'syncedAt', 'status'],
  properties: {
    tasks: {
      type: 'array',
      maxItems: 5000,
      items: {
        title: 'SyncedTask',
        description:
          'One open task as oO reads it from a task app (signals.task.synced, rpc.integrations.tasks).',
        type: 'object',
        required: ['taskId', 'title', 'priority', 'due', 'addedAt', 'isRecurring'],
        properties: {
          taskId: { type: 'string', minLength: 1, maxLength: 128 },
          title: { type: 'string', maxLength: 2000 },
          priority: {
            description: '1 (normal) to 4 (urgent).',
            type: 'integer',
            minimum: 1,
            maximum: 4,
          },
          due: {
            description:
              "A date (all-day), a date-time with an offset (a fixed instant), a date-time without one (floating: read it on the user's own clock), or null when the task has no due date.",
            anyOf: [
              { type: 'string', format: 'date' },
              { type: 'string', format: 'date-time' },
              {
                type: 'string',
                pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?$',
              },
              { type: 'null' },
            ],
          },
          dueTimezone: {
            description:
              "The IANA zone the task's due time was set in; null (or absent) when the due time is floating — read in the user's own zone — or the task is all-day or has no due date.",
            anyOf: [
              {
                description:
                  "An IANA time zone name, e.g. Europe/Berlin (checked against the runtime's zone list).",
                type: 'string',
                minLength: 1,
                maxLength: 64,
                pattern: '^[A-Za-z][A-Za-z0-9_+\\-/]*$',
              },
              { type: 'null' },
            ],
          },
          addedAt: { type: 'string', format: 'date-time' },
          isRecurring: { type: 'boolean' },
          url: {
            description: 'Where the task opens in its app.',
            type: 'string',
            format: 'uri',
            maxLength: 2048,
          },
        },
      },
    },
    syncedAt: {
      description: 'When the tasks were read from the provider; null before the first sync.',
      anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }],
    },
    status: {
      description:
        "How a user's connection to a task app stands: ok; syncing (the first sync has not finished); needs_reconnect (the provider refused our tokens: the user must connect again); rate_limited (the provider asked us to wait); not_connected.",
      type: 'string',
      enum: ['ok', 'syncing', 'needs_reconnect', 'rate_limited', 'not_connected'],
    },
  },
} as const;
export const integrationsWebhookRequestSchema = {
  title: 'IntegrationsWebhookRequest',
  description:
    "rpc.integrations.webhook: a provider's webhook delivery exactly as it arrived at the gateway; integrations verifies its signature over the raw bytes before reading it.",
  type: 'object',
  required: ['provider', 'headers', 'rawBody'],
  additionalProperties: false,
  properties: {
    provider: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' },
    headers: {
      description: "The delivery's HTTP headers, names lower-cased.",
      type: 'object',
      additionalProperties: { type: 'string', maxLength: 8192 },
    },
    rawBody: {
      description:
        'The request body, base64 (at most 512 KiB raw, so the request fits a NATS message).',
      type: 'string',
      maxLength: 700000,
      pattern: '^[A-Za-z0-9+/]*={0,2}$',
    },
  },
} as const;
export const integrationsWebhookResponseSchema = {
  title: 'IntegrationsWebhookResponse',
  type: 'object',
  required: ['status'],
  properties: {
    status: {
      description: 'The HTTP status the gateway answers the provider with.',
      type: 'integer',
      minimum: 100,
      maximum: 599,
    },
  },
} as const;
export const notifierListRequestSchema = {
  title: 'NotifierListRequest',
  description: "rpc.notifier.list: the user's subscribed devices (without their secrets).",
  type: 'object',
  required: ['userId'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
  },
} as const;
export const notifierListResponseSchema = {
  title: 'NotifierListResponse',
  type: 'object',
  required: ['subscriptions'],
  properties: {
    subscriptions: {
      type: 'array',
      items: {
        title: 'PushSubscriptionSummary',
        type: 'object',
        required: ['endpointHash', 'pushService', 'createdAt', 'lastSentAt'],
        properties: {
          endpointHash: {
            description: 'SHA-256 of the push endpoint (hex); the endpoint itself is a secret.',
            type: 'string',
            pattern: '^[0-9a-f]{64}$',
          },
          pushService: {
            type: 'string',
            description:
              "The push service's host (e.g. fcm.googleapis.com): which browser family, not which device.",
          },
          createdAt: { type: 'string', format: 'date-time' },
          lastSentAt: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
        },
      },
    },
  },
} as const;
export const notifierSubscribeRequestSchema = {
  title: 'NotifierSubscribeRequest',
  description:
    "rpc.notifier.subscribe: store one device's push subscription for the user (again: its keys are replaced).",
  type: 'object',
  required: ['userId', 'subscription'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    subscription: {
      title: 'PushSubscription',
      description:
        'What PushSubscription.toJSON() gives in the browser: the endpoint and the keys to encrypt for it (RFC 8291).',
      type: 'object',
      required: ['endpoint', 'keys'],
      additionalProperties: false,
      properties: {
        endpoint: {
          description:
            "A push service URL the browser gave (PushSubscription.endpoint): https; a capability, so outside the notifier's own table it appears only as its hash.",
          type: 'string',
          format: 'uri',
          minLength: 10,
          maxLength: 2048,
        },
        expirationTime: { anyOf: [{ type: 'number', minimum: 0 }, { type: 'null' }] },
        keys: {
          type: 'object',
          required: ['p256dh', 'auth'],
          additionalProperties: false,
          properties: {
            p256dh: {
              description: "The browser's P-256 public key, uncompressed (65 bytes), base64url.",
              type: 'string',
              pattern: '^[A-Za-z0-9_-]{87}=?$',
            },
            auth: {
              description: 'The 16-byte authentication secret, base64url.',
              type: 'string',
              pattern: '^[A-Za-z0-9_-]{22}(==)?$',
            },
          },
        },
      },
    },
  },
} as const;
export const notifierSubscribeResponseSchema = {
  title: 'NotifierSubscribeResponse',
  type: 'object',
  required: ['endpointHash'],
  properties: {
    endpointHash: {
      description: 'SHA-256 of the push endpoint (hex); the endpoint itself is a secret.',
      type: 'string',
      pattern: '^[0-9a-f]{64}$',
    },
  },
} as const;
export const notifierUnsubscribeRequestSchema = {
  title: 'NotifierUnsubscribeRequest',
  description: "rpc.notifier.unsubscribe: forget one of the user's devices, by its endpoint.",
  type: 'object',
  required: ['userId', 'endpoint'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    endpoint: {
      description:
        "A push service URL the browser gave (PushSubscription.endpoint): https; a capability, so outside the notifier's own table it appears only as its hash.",
      type: 'string',
      format: 'uri',
      minLength: 10,
      maxLength: 2048,
    },
  },
} as const;
export const notifierUnsubscribeResponseSchema = {
  title: 'NotifierUnsubscribeResponse',
  type: 'object',
  required: ['removed'],
  properties: {
    removed: { type: 'boolean', description: 'false when the user had no such subscription.' },
  },
} as const;
export const notifierVapidPublicKeyRequestSchema = {
  title: 'NotifierVapidPublicKeyRequest',
  description: 'rpc.notifier.vapid_public_key: the public half of the key pushes are signed with.',
  type: 'object',
  additionalProperties: false,
  properties: {},
} as const;
export const notifierVapidPublicKeyResponseSchema = {
  title: 'NotifierVapidPublicKeyResponse',
  type: 'object',
  required: ['publicKey'],
  properties: {
    publicKey: {
      description:
        "Uncompressed P-256 point (65 bytes), base64url: the browser's applicationServerKey.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{87}$',
    },
  },
} as const;
export const profileDeleteRequestSchema = {
  title: 'ProfileDeleteRequest',
  description:
    'rpc.profile.delete: start deleting the user everywhere (idempotent: a second call reports progress).',
  type: 'object',
  required: ['userId'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
  },
} as const;
export const profileDeleteResponseSchema = {
  title: 'ProfileDeleteResponse',
  type: 'object',
  required: ['userId', 'status', 'requestedAt', 'confirmedBy', 'waitingFor'],
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    status: {
      description:
        "pending: services are purging; purging_signals: all confirmed, the user's history is being purged from SIGNALS; done.",
      type: 'string',
      enum: ['pending', 'purging_signals', 'done'],
    },
    requestedAt: { type: 'string', format: 'date-time' },
    confirmedBy: {
      description: 'Services that confirmed they purged the user.',
      type: 'array',
      items: { type: 'string' },
    },
    waitingFor: { type: 'array', items: { type: 'string' } },
    completedAt: { type: 'string', format: 'date-time' },
  },
} as const;
export const profileDeletionStatusRequestSchema = {
  title: 'ProfileDeletionStatusRequest',
  description:
    'rpc.profile.deletion_status: how far the deletion of one user has come (operators).',
  type: 'object',
  required: ['userId'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
  },
} as const;
export const profileDeletionStatusResponseSchema = {
  title: 'ProfileDeletionStatusResponse',
  type: 'object',
  required: ['userId', 'status', 'requestedAt', 'confirmedBy', 'waitingFor'],
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    status: {
      description:
        "pending: services are purging; purging_signals: all confirmed, the user's history is being purged from SIGNALS; done.",
      type: 'string',
      enum: ['pending', 'purging_signals', 'done'],
    },
    requestedAt: { type: 'string', format: 'date-time' },
    confirmedBy: {
      description: 'Services that confirmed they purged the user.',
      type: 'array',
      items: { type: 'string' },
    },
    waitingFor: { type: 'array', items: { type: 'string' } },
    completedAt: { type: 'string', format: 'date-time' },
  },
} as const;
export const profileGetRequestSchema = {
  title: 'ProfileGetRequest',
  description: "rpc.profile.get: the user's profile (created with defaults on first read).",
  type: 'object',
  required: ['userId'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
  },
} as const;
export const profileGetResponseSchema = {
  title: 'ProfileGetResponse',
  type: 'object',
  required: ['userId', 'timezone', 'quietHours', 'push', 'consent', 'updatedAt'],
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    timezone: {
      description:
        "An IANA time zone name, e.g. Europe/Berlin (checked against the runtime's zone list).",
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z][A-Za-z0-9_+\\-/]*$',
    },
    quietHours: {
      description:
        "No push between start and end on the user's clock; end before start crosses midnight (22:00–07:00).",
      type: 'object',
      required: ['start', 'end'],
      additionalProperties: false,
      properties: {
        start: {
          description: 'A wall-clock time HH:MM (24 h).',
          type: 'string',
          pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
        },
        end: {
          description: 'A wall-clock time HH:MM (24 h).',
          type: 'string',
          pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
        },
      },
    },
    push: { type: 'object', required: ['enabled'], properties: { enabled: { type: 'boolean' } } },
    consent: {
      description: 'The terms the user accepted, or null before they have.',
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['termsVersion', 'acceptedAt'],
          properties: {
            termsVersion: { type: 'string' },
            acceptedAt: { type: 'string', format: 'date-time' },
          },
        },
      ],
    },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;
export const legalRequestSchema = {
  title: 'LegalRequest',
  description:
    'rpc.profile.legal: the current text of the terms or the privacy notice, for the SPA.',
  type: 'object',
  required: ['document'],
  additionalProperties: false,
  properties: {
    document: {
      description: 'A legal text the SPA shows.',
      type: 'string',
      enum: ['terms', 'privacy'],
    },
  },
} as const;
export const legalResponseSchema = {
  title: 'LegalResponse',
  type: 'object',
  required: ['document', 'version', 'markdown'],
  properties: {
    document: { type: 'string', enum: ['terms', 'privacy'] },
    version: { type: 'string' },
    markdown: { type: 'string' },
  },
} as const;
export const profileUpdateRequestSchema = {
  title: 'ProfileUpdateRequest',
  description:
    "rpc.profile.update: change some settings of the user's own profile (the gateway takes userId from the session).",
  type: 'object',
  required: ['userId'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    timezone: {
      description:
        "An IANA time zone name, e.g. Europe/Berlin (checked against the runtime's zone list).",
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z][A-Za-z0-9_+\\-/]*$',
    },
    quietHours: {
      description:
        "No push between start and end on the user's clock; end before start crosses midnight (22:00–07:00).",
      type: 'object',
      required: ['start', 'end'],
      additionalProperties: false,
      properties: {
        start: {
          description: 'A wall-clock time HH:MM (24 h).',
          type: 'string',
          pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
        },
        end: {
          description: 'A wall-clock time HH:MM (24 h).',
          type: 'string',
          pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
        },
      },
    },
    push: {
      description: 'Whether the user wants push notifications.',
      type: 'object',
      required: ['enabled'],
      additionalProperties: false,
      properties: { enabled: { type: 'boolean' } },
    },
    acceptTerms: {
      description: 'The version of the terms the user accepts now.',
      type: 'string',
      minLength: 1,
      maxLength: 32,
    },
  },
} as const;
export const profileUpdateResponseSchema = {
  title: 'ProfileUpdateResponse',
  type: 'object',
  required: ['userId', 'timezone', 'quietHours', 'push', 'consent', 'updatedAt'],
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    timezone: {
      description:
        "An IANA time zone name, e.g. Europe/Berlin (checked against the runtime's zone list).",
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z][A-Za-z0-9_+\\-/]*$',
    },
    quietHours: {
      description:
        "No push between start and end on the user's clock; end before start crosses midnight (22:00–07:00).",
      type: 'object',
      required: ['start', 'end'],
      additionalProperties: false,
      properties: {
        start: {
          description: 'A wall-clock time HH:MM (24 h).',
          type: 'string',
          pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
        },
        end: {
          description: 'A wall-clock time HH:MM (24 h).',
          type: 'string',
          pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
        },
      },
    },
    push: { type: 'object', required: ['enabled'], properties: { enabled: { type: 'boolean' } } },
    consent: {
      description: 'The terms the user accepted, or null before they have.',
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['termsVersion', 'acceptedAt'],
          properties: {
            termsVersion: { type: 'string' },
            acceptedAt: { type: 'string', format: 'date-time' },
          },
        },
      ],
    },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;
export const evaluateRequestSchema = {
  title: 'EvaluateRequest',
  description:
    "rpc.recommender.evaluate: off-policy estimates of one policy's mean reward from the tip log (operators).",
  type: 'object',
  required: ['policy'],
  additionalProperties: false,
  properties: {
    policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
    since: { type: 'string', format: 'date-time' },
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
  },
} as const;
export const evaluateResponseSchema = {
  title: 'EvaluateResponse',
  description:
    "What the logged decisions say about one policy's mean reward per decision. Estimates are null when no decision can speak for the policy; interval bounds are null with a single decision.",
  type: 'object',
  required: [
    'policy',
    'decisions',
    'skipped',
    'pending',
    'noOutcome',
    'ips',
    'snips',
    'effectiveSampleSize',
    'onPolicy',
  ],
  additionalProperties: false,
  properties: {
    policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
    decisions: {
      description:
        'Decisions the estimates use: with a terminal reaction and, for a model, its logged scores.',
      type: 'integer',
      minimum: 0,
    },
    skipped: {
      description:
        'Decisions with an outcome that cannot judge this policy: without its scores (the scorer did not answer), or made by another policy without exploring (logged epsilon 0).',
      type: 'integer',
      minimum: 0,
    },
    pending: {
      description:
        'Decisions still open: no terminal reaction yet (the sweeper records `expired` 0 once TIP_EXPIRY_HOURS pass).',
      type: 'integer',
      minimum: 0,
    },
    noOutcome: {
      description:
        'Decisions that ended without a terminal reaction (their task went away): no outcome until the sweeper records them `expired` 0 after TIP_EXPIRY_HOURS.',
      type: 'integer',
      minimum: 0,
    },
    ips: {
      description:
        'Inverse propensity scoring: mean of r·π/μ; interval by the normal approximation. An estimate with its 95 % confidence interval [low, high].',
      type: 'object',
      required: ['estimate', 'low', 'high'],
      additionalProperties: false,
      properties: {
        estimate: { type: ['number', 'null'] },
        low: { type: ['number', 'null'] },
        high: { type: ['number', 'null'] },
      },
    },
    snips: {
      description:
        'Self-normalised IPS: Σ r·w / Σ w; interval by the delta method (ratio-estimator variance). Null when every weight is 0. An estimate with its 95 % confidence interval [low, high].',
      type: 'object',
      required: ['estimate', 'low', 'high'],
      additionalProperties: false,
      properties: {
        estimate: { type: ['number', 'null'] },
        low: { type: ['number', 'null'] },
        high: { type: ['number', 'null'] },
      },
    },
    effectiveSampleSize: {
      description: '(Σ w)² / Σ w²: how many on-policy decisions the weighted log is worth.',
      type: 'number',
      minimum: 0,
    },
    onPolicy: {
      description: 'The decisions this policy made itself (with an outcome) and their mean reward.',
      type: 'object',
      required: ['decisions', 'meanReward'],
      additionalProperties: false,
      properties: {
        decisions: { type: 'integer', minimum: 0 },
        meanReward: { type: ['number', 'null'] },
      },
    },
  },
} as const;
export const tipFeedbackRequestSchema = {
  title: 'TipFeedbackRequest',
  description:
    "rpc.recommender.feedback: the user's reaction to one of their tips (the gateway takes userId from the session). `snoozeMinutes` only with `snooze`; any other action with it is an invalid_request naming snoozeMinutes.",
  type: 'object',
  required: ['userId', 'tipId', 'action'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    tipId: {
      description:
        "A tip's id: a UUID in its canonical 8-4-4-4-12 hex form; a tip belongs to one user.",
      type: 'string',
      format: 'uuid',
      pattern: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$',
    },
    action: {
      description:
        "What a user can say about a tip: done (+1), dismiss (−1) and snooze (0) end it (one of them per tip); helpful (+0.5) or not_helpful (−0.5) rate it (one rating per tip). `expired` is oO's, never a user's.",
      type: 'string',
      enum: ['done', 'dismiss', 'snooze', 'helpful', 'not_helpful'],
    },
    snoozeMinutes: {
      description:
        'How long a snoozed task stays out of the tips, in minutes (default 60, at most 7 days); only with `snooze`.',
      type: 'integer',
      minimum: 1,
      maximum: 10080,
    },
  },
} as const;
export const tipFeedbackResponseSchema = {
  title: 'TipFeedbackResponse',
  description:
    'The accepted reaction and its reward. Errors: not_found (no such tip of this user), conflict (the tip already has a reaction of this kind; field action).',
  type: 'object',
  required: ['tipId', 'taskId', 'action', 'reward'],
  properties: {
    tipId: {
      description:
        "A tip's id: a UUID in its canonical 8-4-4-4-12 hex form; a tip belongs to one user.",
      type: 'string',
      format: 'uuid',
      pattern: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$',
    },
    taskId: { type: 'string' },
    action: {
      description:
        "What a user can say about a tip: done (+1), dismiss (−1) and snooze (0) end it (one of them per tip); helpful (+0.5) or not_helpful (−0.5) rate it (one rating per tip). `expired` is oO's, never a user's.",
      type: 'string',
      enum: ['done', 'dismiss', 'snooze', 'helpful', 'not_helpful'],
    },
    reward: { type: 'number', minimum: -1, maximum: 1 },
    heldUntil: { type: 'string', format: 'date-time' },
  },
} as const;
export const recommenderMetricsRequestSchema = {
  title: 'RecommenderMetricsRequest',
  description:
    'rpc.recommender.metrics: the daily metrics baseline for the UTC days from `since` (included) to `until` (excluded); `until` must be after `since`, at most 400 days later.',
  type: 'object',
  required: ['since', 'until'],
  additionalProperties: false,
  properties: {
    since: {
      description: 'The first UTC day reported (YYYY-MM-DD).',
      type: 'string',
      format: 'date',
    },
    until: {
      description: 'The UTC day after the last one reported (YYYY-MM-DD), exclusive.',
      type: 'string',
      format: 'date',
    },
  },
} as const;
export const recommenderMetricsResponseSchema = {
  title: 'RecommenderMetricsResponse',
  description:
    'One entry per UTC day of the range, oldest first, every day present (zeros when nothing happened). Tips, reactions and rewards are counted on the day the tip was served; sign-ups on the day of the sign-up.',
  type: 'object',
  required: ['since', 'until', 'days'],
  additionalProperties: false,
  properties: {
    since: { type: 'string', format: 'date' },
    until: { type: 'string', format: 'date' },
    days: {
      type: 'array',
      items: {
        title: 'DailyMetrics',
        type: 'object',
        required: ['day', 'signups', 'activated', 'activationRate', 'served', 'byPolicy'],
        additionalProperties: false,
        properties: {
          day: { type: 'string', format: 'date' },
          signups: {
            type: 'integer',
            minimum: 0,
            description: 'Users who signed up that day (and have not been deleted).',
          },
          activated: {
            type: 'integer',
            minimum: 0,
            description:
              "Of the day's sign-ups, those served at least one tip by the time of the query.",
          },
          activationRate: {
            description: 'activated / signups.',
            type: ['number', 'null'],
            minimum: 0,
            maximum: 1,
          },
          served: {
            title: 'ServingMetrics',
            type: 'object',
            required: [
              'usersServed',
              'tipsServed',
              'tipsWithUserReaction',
              'reactionRate',
              'reactions',
              'rewardedReactions',
              'meanReward',
            ],
            properties: {
              usersServed: {
                type: 'integer',
                minimum: 0,
                description: 'Distinct users served at least one tip that day.',
              },
              tipsServed: {
                type: 'integer',
                minimum: 0,
                description: 'Decisions logged that day.',
              },
              tipsWithUserReaction: {
                type: 'integer',
                minimum: 0,
                description:
                  "The day's tips with at least one reaction whose source is `user` (done, dismiss, snooze, helpful, not_helpful from the app); completions seen by webhook or reconcile and expiries do not count.",
              },
              reactionRate: {
                description: 'tipsWithUserReaction / tipsServed.',
                type: ['number', 'null'],
                minimum: 0,
                maximum: 1,
              },
              reactions: {
                title: 'ReactionCounts',
                description:
                  "Reactions to the day's tips by action, from every source (user, webhook, reconcile, expiry); every known action present, 0 when none.",
                type: 'object',
                additionalProperties: false,
                required: ['done', 'dismiss', 'snooze', 'helpful', 'not_helpful', 'expired'],
                properties: {
                  done: { type: 'integer', minimum: 0 },
                  dismiss: { type: 'integer', minimum: 0 },
                  snooze: { type: 'integer', minimum: 0 },
                  helpful: { type: 'integer', minimum: 0 },
                  not_helpful: { type: 'integer', minimum: 0 },
                  expired: { type: 'integer', minimum: 0 },
                },
              },
              rewardedReactions: {
                type: 'integer',
                minimum: 0,
                description:
                  "Reactions to the day's tips of every action and source: the rewards the learner received for them.",
              },
              meanReward: {
                description:
                  'The mean reward over rewardedReactions (expiries count as 0); null when there are none.',
                type: ['number', 'null'],
              },
            },
            additionalProperties: false,
          },
          byPolicy: {
            description:
              'The same for each policy that decided tips that day (the live one, or `random` on the scorer fallback; shadows never serve), keyed by policy name.',
            type: 'object',
            additionalProperties: {
              title: 'ServingMetrics',
              type: 'object',
              required: [
                'usersServed',
                'tipsServed',
                'tipsWithUserReaction',
                'reactionRate',
                'reactions',
                'rewardedReactions',
                'meanReward',
              ],
              properties: {
                usersServed: {
                  type: 'integer',
                  minimum: 0,
                  description: 'Distinct users served at least one tip that day.',
                },
                tipsServed: {
                  type: 'integer',
                  minimum: 0,
                  description: 'Decisions logged that day.',
                },
                tipsWithUserReaction: {
                  type: 'integer',
                  minimum: 0,
                  description:
                    "The day's tips with at least one reaction whose source is `user` (done, dismiss, snooze, helpful, not_helpful from the app); completions seen by webhook or reconcile and expiries do not count.",
                },
                reactionRate: {
                  description: 'tipsWithUserReaction / tipsServed.',
                  type: ['number', 'null'],
                  minimum: 0,
                  maximum: 1,
                },
                reactions: {
                  title: 'ReactionCounts',
                  description:
                    "Reactions to the day's tips by action, from every source (user, webhook, reconcile, expiry); every known action present, 0 when none.",
                  type: 'object',
                  additionalProperties: false,
                  required: ['done', 'dismiss', 'snooze', 'helpful', 'not_helpful', 'expired'],
                  properties: {
                    done: { type: 'integer', minimum: 0 },
                    dismiss: { type: 'integer', minimum: 0 },
                    snooze: { type: 'integer', minimum: 0 },
                    helpful: { type: 'integer', minimum: 0 },
                    not_helpful: { type: 'integer', minimum: 0 },
                    expired: { type: 'integer', minimum: 0 },
                  },
                },
                rewardedReactions: {
                  type: 'integer',
                  minimum: 0,
                  description:
                    "Reactions to the day's tips of every action and source: the rewards the learner received for them.",
                },
                meanReward: {
                  description:
                    'The mean reward over rewardedReactions (expiries count as 0); null when there are none.',
                  type: ['number', 'null'],
                },
              },
              additionalProperties: false,
            },
          },
        },
      },
    },
  },
} as const;
export const recommendRequestSchema = {
  title: 'RecommendRequest',
  description: 'rpc.recommender.recommend: the one tip for this user now.',
  type: 'object',
  required: ['userId', 'channel'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    channel: { type: 'string', enum: ['web', 'push'] },
    now: { type: 'string', format: 'date-time' },
    excludeTaskIds: {
      description:
        'Tasks not to choose this time (push: pushed in the last 24 h, just shown on the web). Channel push only decides afresh; it never re-serves an open tip.',
      type: 'array',
      maxItems: 1000,
      items: { type: 'string', minLength: 1, maxLength: 128 },
    },
  },
} as const;
export const recommendResponseSchema = {
  title: 'RecommendResponse',
  type: 'object',
  required: ['tip', 'policy', 'latencyMs'],
  properties: {
    tip: {
      anyOf: [
        {
          title: 'Tip',
          type: 'object',
          required: [
            'tipId',
            'taskId',
            'title',
            'source',
            'priority',
            'due',
            'servedAt',
            'url',
            'why',
            'explored',
            'policy',
          ],
          properties: {
            tipId: {
              description:
                "A tip's id: a UUID in its canonical 8-4-4-4-12 hex form; a tip belongs to one user.",
              type: 'string',
              format: 'uuid',
              pattern:
                '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$',
            },
            taskId: { type: 'string' },
            title: { type: 'string' },
            source: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' },
            priority: { type: 'integer', minimum: 1, maximum: 4 },
            due: { type: ['string', 'null'] },
            servedAt: { type: 'string', format: 'date-time' },
            url: {
              description: 'Where the task opens in its app, if the app gave one.',
              type: ['string', 'null'],
            },
            policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
            explored: {
              description:
                "True when the task was not the live model's best (its highest UCB): the scorer's ε draw landed elsewhere, or the random fallback chose.",
              type: 'boolean',
            },
            why: {
              title: 'TipWhy',
              description:
                "Why this task, from the live model's own terms: each reason is a task term whose contribution θ_j·(x_j − mean over the candidates) pushed this task above the others, strongest first (at most 3). `kind`: `model` (reasons given), `learning` (no term pushed it up: the model has not learned enough to prefer this task; a brand-new user's reasons come from the scorer's starting belief, priority then overdue), `exploration` (an exploration pick; reasons may still be listed). `summary` is one sentence for the SPA.",
              type: 'object',
              required: ['kind', 'reasons', 'summary'],
              properties: {
                kind: { type: 'string', enum: ['model', 'learning', 'exploration'] },
                reasons: {
                  type: 'array',
                  maxItems: 3,
                  items: {
                    title: 'TipReason',
                    type: 'object',
                    required: ['term', 'text'],
                    properties: {
                      term: {
                        description:
                          'The base feature the reason comes from: is_overdue, priority or task_age.',
                        type: 'string',
                      },
                      text: {
                        description:
                          'The reason in words, e.g. "overdue", "urgent", "waiting for three weeks".',
                        type: 'string',
                      },
                    },
                  },
                },
                summary: { type: 'string' },
              },
            },
          },
          description:
            'The tip as the SPA shows it. A tip served again (the open one) carries the same tipId, why, explored and servedAt as when it was first served.',
        },
        { type: 'null' },
      ],
    },
    policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
    latencyMs: {
      type: 'number',
      minimum: 0,
      description: 'How long this request took in the recommender, in ms.',
    },
  },
} as const;
export const recommenderTipRequestSchema = {
  title: 'RecommenderTipRequest',
  description:
    "rpc.recommender.tip: one of the user's own tips (open or ended), as it was served; not_found when the id is unknown or another user's.",
  type: 'object',
  required: ['userId', 'tipId'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    tipId: {
      description:
        "A tip's id: a UUID in its canonical 8-4-4-4-12 hex form; a tip belongs to one user.",
      type: 'string',
      format: 'uuid',
      pattern: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$',
    },
  },
} as const;
export const recommenderTipResponseSchema = {
  title: 'RecommenderTipResponse',
  type: 'object',
  required: ['tip'],
  properties: {
    tip: {
      title: 'Tip',
      type: 'object',
      required: [
        'tipId',
        'taskId',
        'title',
        'source',
        'priority',
        'due',
        'servedAt',
        'url',
        'why',
        'explored',
        'policy',
      ],
      properties: {
        tipId: {
          description:
            "A tip's id: a UUID in its canonical 8-4-4-4-12 hex form; a tip belongs to one user.",
          type: 'string',
          format: 'uuid',
          pattern: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$',
        },
        taskId: { type: 'string' },
        title: { type: 'string' },
        source: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' },
        priority: { type: 'integer', minimum: 1, maximum: 4 },
        due: { type: ['string', 'null'] },
        servedAt: { type: 'string', format: 'date-time' },
        url: {
          description: 'Where the task opens in its app, if the app gave one.',
          type: ['string', 'null'],
        },
        policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
        explored: {
          description:
            "True when the task was not the live model's best (its highest UCB): the scorer's ε draw landed elsewhere, or the random fallback chose.",
          type: 'boolean',
        },
        why: {
          title: 'TipWhy',
          description:
            "Why this task, from the live model's own terms: each reason is a task term whose contribution θ_j·(x_j − mean over the candidates) pushed this task above the others, strongest first (at most 3). `kind`: `model` (reasons given), `learning` (no term pushed it up: the model has not learned enough to prefer this task; a brand-new user's reasons come from the scorer's starting belief, priority then overdue), `exploration` (an exploration pick; reasons may still be listed). `summary` is one sentence for the SPA.",
          type: 'object',
          required: ['kind', 'reasons', 'summary'],
          properties: {
            kind: { type: 'string', enum: ['model', 'learning', 'exploration'] },
            reasons: {
              type: 'array',
              maxItems: 3,
              items: {
                title: 'TipReason',
                type: 'object',
                required: ['term', 'text'],
                properties: {
                  term: {
                    description:
                      'The base feature the reason comes from: is_overdue, priority or task_age.',
                    type: 'string',
                  },
                  text: {
                    description:
                      'The reason in words, e.g. "overdue", "urgent", "waiting for three weeks".',
                    type: 'string',
                  },
                },
              },
            },
            summary: { type: 'string' },
          },
        },
      },
      description:
        'The tip as the SPA shows it. A tip served again (the open one) carries the same tipId, why, explored and servedAt as when it was first served.',
    },
  },
} as const;
export const refreshPriorRequestSchema = {
  title: 'RefreshPriorRequest',
  description:
    "rpc.scorer.refresh_prior (operators): re-estimate every policy's population prior from the users' models now.",
  type: 'object',
  additionalProperties: false,
  properties: {},
} as const;
export const refreshPriorResponseSchema = {
  title: 'RefreshPriorResponse',
  description:
    "The live policy's new prior (users 0, groups 0 and computedAt null: not enough users for one yet), and every policy's.",
  type: 'object',
  required: ['users', 'groups', 'computedAt', 'policies'],
  properties: {
    users: { type: 'integer', minimum: 0, description: 'Users it was estimated from.' },
    groups: {
      type: 'integer',
      minimum: 0,
      description: 'Taste groups (mixture components) it found.',
    },
    computedAt: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
    policies: {
      type: 'array',
      items: {
        title: 'PolicyPrior',
        type: 'object',
        required: ['policy', 'users', 'groups'],
        properties: {
          policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
          users: { type: 'integer', minimum: 0 },
          groups: { type: 'integer', minimum: 0 },
        },
      },
    },
  },
} as const;
export const resetRequestSchema = {
  title: 'ResetRequest',
  description:
    "rpc.scorer.reset: forget one user's model for one policy (all policies when policy is absent).",
  type: 'object',
  required: ['userId'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
  },
} as const;
export const resetResponseSchema = {
  title: 'ResetResponse',
  type: 'object',
  required: ['ok'],
  properties: { ok: { type: 'boolean' } },
} as const;
export const scoreRequestSchema = {
  title: 'ScoreRequest',
  description: 'rpc.scorer.score: choose one candidate for a user.',
  type: 'object',
  required: ['userId', 'candidates'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
    seed: {
      description:
        'Makes the exploration draw reproducible, so a decision can be replayed exactly.',
      type: 'integer',
      minimum: 0,
      maximum: 4294967295,
    },
    shadows: {
      description:
        'Other policies to score on the same candidates in the same call, each with its own features of the same candidate ids: scored and returned, never chosen (no exploration draw).',
      type: 'array',
      maxItems: 16,
      items: {
        title: 'ScoreShadowRequest',
        type: 'object',
        required: ['policy', 'candidates'],
        additionalProperties: false,
        properties: {
          policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
          candidates: {
            type: 'array',
            minItems: 1,
            maxItems: 200,
            items: {
              title: 'ScoreCandidate',
              type: 'object',
              required: ['id', 'features'],
              additionalProperties: false,
              properties: {
                id: { type: 'string', minLength: 1, maxLength: 128 },
                features: { type: 'array', items: { type: 'number' }, minItems: 1, maxItems: 64 },
              },
            },
          },
        },
      },
    },
    candidates: {
      type: 'array',
      minItems: 1,
      maxItems: 200,
      items: {
        title: 'ScoreCandidate',
        type: 'object',
        required: ['id', 'features'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 128 },
          features: { type: 'array', items: { type: 'number' }, minItems: 1, maxItems: 64 },
        },
      },
    },
  },
} as const;
export const scoreResponseSchema = {
  title: 'ScoreResponse',
  type: 'object',
  required: ['chosen', 'propensity', 'policy', 'scores', 'n'],
  properties: {
    chosen: { description: 'Id of the chosen candidate.', type: 'string' },
    propensity: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
    scores: {
      type: 'array',
      items: {
        title: 'CandidateScore',
        type: 'object',
        required: ['id', 'mean', 'bonus', 'ucb'],
        properties: {
          id: { type: 'string' },
          mean: { type: 'number' },
          bonus: { type: 'number' },
          ucb: { type: 'number' },
        },
      },
    },
    n: { description: "Updates the user's model has learned from.", type: 'integer', minimum: 0 },
    shadows: {
      description:
        "One entry per requested shadow, in request order: its scores of the candidates (in its request order) and its model's n. Present only when shadows were requested.",
      type: 'array',
      items: {
        title: 'ShadowScores',
        type: 'object',
        required: ['policy', 'scores', 'n'],
        properties: {
          policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
          scores: {
            type: 'array',
            items: {
              title: 'CandidateScore',
              type: 'object',
              required: ['id', 'mean', 'bonus', 'ucb'],
              properties: {
                id: { type: 'string' },
                mean: { type: 'number' },
                bonus: { type: 'number' },
                ucb: { type: 'number' },
              },
            },
          },
          n: { type: 'integer', minimum: 0 },
        },
      },
    },
    theta: {
      description:
        "The choosing policy's solved θ (posterior mean of its weights, one per feature column, in its feature set's column order): what the caller explains a choice with — a candidate's term j pushed it up by θ_j·x_j.",
      type: 'array',
      items: { type: 'number' },
    },
    explored: {
      description: 'True when the choice was an ε-exploration draw rather than the UCB argmax.',
      type: 'boolean',
    },
    epsilon: {
      description:
        "The ε of the ε-greedy draw this choice was made with (SCORER_EPSILON while the live policy's population has no prior, SCORER_EPSILON_WITH_PRIOR once it has one): with the scores it gives any policy's propensity for this decision. At 0 the decision can judge no other policy off-policy.",
      type: 'number',
      minimum: 0,
      maximum: 1,
    },
  },
} as const;
export const statsRequestSchema = {
  title: 'StatsRequest',
  description: "rpc.scorer.stats (and rpc.scorer.reset): one user's model for one policy.",
  type: 'object',
  required: ['userId'],
  additionalProperties: false,
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
  },
} as const;
export const statsResponseSchema = {
  title: 'StatsResponse',
  type: 'object',
  required: ['n', 'rewardSum', 'A', 'b', 'theta'],
  properties: {
    n: { type: 'integer', minimum: 0 },
    rewardSum: { type: 'number' },
    A: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
    b: { type: 'array', items: { type: 'number' } },
    theta: {
      type: 'array',
      items: { type: 'number' },
      description:
        "The θ the scorer scores with: the user's statistics combined with the population prior when there is one (`prior`), else with the policy's starting belief (the heuristic's, weak: θ₀ on priority and overdue with the weight of two reactions). Only a policy without either solves A θ = b alone.",
    },
    prior: {
      description:
        "The population prior θ was computed with; absent while the population has none (θ then starts from the policy's starting belief).",
      type: 'object',
      required: ['users', 'computedAt'],
      properties: {
        users: { type: 'integer', minimum: 0 },
        computedAt: { type: 'string', format: 'date-time' },
      },
    },
  },
} as const;
export const devLoginBodySchema = {
  title: 'DevLoginBody',
  description: 'POST /auth/dev-login (AUTH_DEV_LOGIN only): sign in as anyone by email.',
  type: 'object',
  required: ['email', 'name'],
  additionalProperties: false,
  properties: {
    email: { type: 'string', format: 'email', maxLength: 254 },
    name: {
      description: 'Shown to the user; surrounding white space is trimmed.',
      type: 'string',
      maxLength: 100,
      pattern: '\\S',
    },
  },
} as const;
export const devLoginResponseSchema = {
  title: 'DevLoginResponse',
  type: 'object',
  required: ['user', 'created'],
  properties: {
    user: {
      type: 'object',
      required: ['id', 'email', 'name'],
      properties: {
        id: {
          description:
            "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
          type: 'string',
          pattern: '^[A-Za-z0-9_-]{1,64}$',
        },
        email: { type: 'string' },
        name: { type: 'string' },
      },
    },
    created: { description: 'Whether this sign-in created the account.', type: 'boolean' },
  },
} as const;
export const googleStartQuerySchema = {
  title: 'GoogleStartQuery',
  type: 'object',
  additionalProperties: false,
  properties: {
    returnTo: {
      description: 'Where to land after signing in; a path outside the allow-list lands on /.',
      type: 'string',
      maxLength: 200,
    },
  },
} as const;
export const googleCallbackQuerySchema = {
  title: 'GoogleCallbackQuery',
  description:
    'What Google appends to the redirect. Open: Google also sends scope, authuser, hd, prompt, … which are ignored.',
  type: 'object',
  properties: {
    code: { type: 'string', maxLength: 2048 },
    state: { type: 'string', maxLength: 512 },
    error: { type: 'string', maxLength: 256 },
  },
} as const;
export const signInMethodsSchema = {
  title: 'SignInMethods',
  description: 'GET /auth/methods: which sign-in methods this deployment offers.',
  type: 'object',
  required: ['google', 'devLogin'],
  additionalProperties: false,
  properties: {
    google: {
      description: 'Sign in with Google is configured (GOOGLE_CLIENT_ID is set).',
      type: 'boolean',
    },
    devLogin: {
      description: 'POST /auth/dev-login works (AUTH_DEV_LOGIN; never in production).',
      type: 'boolean',
    },
  },
} as const;
export const noQuerySchema = {
  title: 'NoQuery',
  description:
    'The query of every route without its own <route>.query.json: no parameters; any one is an unknown field (400).',
  type: 'object',
  additionalProperties: false,
  properties: {},
} as const;
export const httpErrorBodySchema = {
  title: 'HttpErrorBody',
  description: 'The body of every HTTP error (4xx, 5xx) of every service.',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: {
          description:
            'Stable and machine-readable: invalid_request, unauthenticated, forbidden, not_found, unsupported_media_type, rate_limited, unavailable, internal, …',
          type: 'string',
        },
        message: { description: 'For people; may change wording.', type: 'string' },
        field: {
          description:
            'The offending field when one is at fault: a JSON path in the body (quietHours.start), a query parameter, or a header (content-type).',
          type: 'string',
        },
      },
    },
  },
} as const;
export const integrationsListBodySchema = {
  title: 'IntegrationsListBody',
  description: 'GET /api/integrations (ARCHITECTURE.md §4): one entry per provider oO can connect.',
  type: 'array',
  items: {
    title: 'IntegrationSummary',
    type: 'object',
    required: ['provider', 'connected', 'connectedAt', 'lastSyncAt', 'status'],
    properties: {
      provider: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' },
      connected: { type: 'boolean' },
      connectedAt: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
      lastSyncAt: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
      status: {
        description:
          "How a user's connection to a task app stands: ok; syncing (the first sync has not finished); needs_reconnect (the provider refused our tokens: the user must connect again); rate_limited (the provider asked us to wait); not_connected.",
        type: 'string',
        enum: ['ok', 'syncing', 'needs_reconnect', 'rate_limited', 'not_connected'],
      },
    },
  },
} as const;
export const todoistCallbackQuerySchema = {
  title: 'TodoistCallbackQuery',
  description:
    'What Todoist appends to the redirect: code and state, or error (access_denied) and state. Open, like the Google callback: a parameter Todoist may add later is ignored rather than failing the connection.',
  type: 'object',
  properties: {
    code: { type: 'string', maxLength: 2048 },
    state: { type: 'string', maxLength: 512 },
    error: { type: 'string', maxLength: 256 },
  },
} as const;
export const profileChangesSchema = {
  title: 'ProfileChanges',
  description:
    'PATCH /api/me: the settings to change; rpc.profile.update without userId, which the gateway takes from the session.',
  type: 'object',
  additionalProperties: false,
  properties: {
    timezone: {
      description:
        "An IANA time zone name, e.g. Europe/Berlin (checked against the runtime's zone list).",
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z][A-Za-z0-9_+\\-/]*$',
    },
    quietHours: {
      description:
        "No push between start and end on the user's clock; end before start crosses midnight (22:00–07:00).",
      type: 'object',
      required: ['start', 'end'],
      additionalProperties: false,
      properties: {
        start: {
          description: 'A wall-clock time HH:MM (24 h).',
          type: 'string',
          pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
        },
        end: {
          description: 'A wall-clock time HH:MM (24 h).',
          type: 'string',
          pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
        },
      },
    },
    push: {
      description: 'Whether the user wants push notifications.',
      type: 'object',
      required: ['enabled'],
      additionalProperties: false,
      properties: { enabled: { type: 'boolean' } },
    },
    acceptTerms: {
      description: 'The version of the terms the user accepts now.',
      type: 'string',
      minLength: 1,
      maxLength: 32,
    },
  },
} as const;
export const pushSubscriptionSchema = {
  title: 'PushSubscription',
  description:
    'What PushSubscription.toJSON() gives in the browser: the endpoint and the keys to encrypt for it (RFC 8291).',
  type: 'object',
  required: ['endpoint', 'keys'],
  additionalProperties: false,
  properties: {
    endpoint: {
      description:
        "A push service URL the browser gave (PushSubscription.endpoint): https; a capability, so outside the notifier's own table it appears only as its hash.",
      type: 'string',
      format: 'uri',
      minLength: 10,
      maxLength: 2048,
    },
    expirationTime: { anyOf: [{ type: 'number', minimum: 0 }, { type: 'null' }] },
    keys: {
      type: 'object',
      required: ['p256dh', 'auth'],
      additionalProperties: false,
      properties: {
        p256dh: {
          description: "The browser's P-256 public key, uncompressed (65 bytes), base64url.",
          type: 'string',
          pattern: '^[A-Za-z0-9_-]{87}=?$',
        },
        auth: {
          description: 'The 16-byte authentication secret, base64url.',
          type: 'string',
          pattern: '^[A-Za-z0-9_-]{22}(==)?$',
        },
      },
    },
  },
} as const;
export const pushUnsubscribeBodySchema = {
  title: 'PushUnsubscribeBody',
  description: "DELETE /api/push/subscriptions: which of the user's devices stops getting tips.",
  type: 'object',
  required: ['endpoint'],
  additionalProperties: false,
  properties: {
    endpoint: {
      description:
        "A push service URL the browser gave (PushSubscription.endpoint): https; a capability, so outside the notifier's own table it appears only as its hash.",
      type: 'string',
      format: 'uri',
      minLength: 10,
      maxLength: 2048,
    },
  },
} as const;
export const sessionResponseSchema = {
  title: 'SessionResponse',
  description: 'GET /api/session: the verified session of the request.',
  type: 'object',
  required: ['userId', 'sessionId', 'expiresAt', 'name', 'email', 'roles'],
  properties: {
    userId: {
      description:
        "Opaque user id; also the last token of a signal subject, so it may not contain '.', '*', '>' or white space.",
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    sessionId: { type: 'string' },
    expiresAt: { type: 'string', format: 'date-time' },
    name: {
      description: "The user's name as their sign-in gave it (the session token's claim).",
      type: 'string',
    },
    email: { type: 'string' },
    roles: {
      description:
        'What the user may do beyond their own data: `admin` (ADMIN_EMAILS) opens the operator console.',
      type: 'array',
      items: { type: 'string', enum: ['admin'] },
    },
  },
} as const;
export const tipBodySchema = {
  title: 'TipBody',
  description: 'A tip as GET /api/tip and GET /api/tips/{tipId} answer it.',
  allOf: [
    {
      title: 'Tip',
      type: 'object',
      required: [
        'tipId',
        'taskId',
        'title',
        'source',
        'priority',
        'due',
        'servedAt',
        'url',
        'why',
        'explored',
        'policy',
      ],
      properties: {
        tipId: {
          description:
            "A tip's id: a UUID in its canonical 8-4-4-4-12 hex form; a tip belongs to one user.",
          type: 'string',
          format: 'uuid',
          pattern: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$',
        },
        taskId: { type: 'string' },
        title: { type: 'string' },
        source: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' },
        priority: { type: 'integer', minimum: 1, maximum: 4 },
        due: { type: ['string', 'null'] },
        servedAt: { type: 'string', format: 'date-time' },
        url: {
          description: 'Where the task opens in its app, if the app gave one.',
          type: ['string', 'null'],
        },
        policy: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
        explored: {
          description:
            "True when the task was not the live model's best (its highest UCB): the scorer's ε draw landed elsewhere, or the random fallback chose.",
          type: 'boolean',
        },
        why: {
          title: 'TipWhy',
          description:
            "Why this task, from the live model's own terms: each reason is a task term whose contribution θ_j·(x_j − mean over the candidates) pushed this task above the others, strongest first (at most 3). `kind`: `model` (reasons given), `learning` (no term pushed it up: the model has not learned enough to prefer this task; a brand-new user's reasons come from the scorer's starting belief, priority then overdue), `exploration` (an exploration pick; reasons may still be listed). `summary` is one sentence for the SPA.",
          type: 'object',
          required: ['kind', 'reasons', 'summary'],
          properties: {
            kind: { type: 'string', enum: ['model', 'learning', 'exploration'] },
            reasons: {
              type: 'array',
              maxItems: 3,
              items: {
                title: 'TipReason',
                type: 'object',
                required: ['term', 'text'],
                properties: {
                  term: {
                    description:
                      'The base feature the reason comes from: is_overdue, priority or task_age.',
                    type: 'string',
                  },
                  text: {
                    description:
                      'The reason in words, e.g. "overdue", "urgent", "waiting for three weeks".',
                    type: 'string',
                  },
                },
              },
            },
            summary: { type: 'string' },
          },
        },
      },
      description:
        'The tip as the SPA shows it. A tip served again (the open one) carries the same tipId, why, explored and servedAt as when it was first served.',
    },
  ],
} as const;
export const tipReactionBodySchema = {
  title: 'TipReactionBody',
  description:
    "POST /api/tips/{tipId}/feedback: rpc.recommender.feedback without userId (the session's) and tipId (the path's).",
  type: 'object',
  required: ['action'],
  additionalProperties: false,
  properties: {
    action: {
      description:
        "What a user can say about a tip: done (+1), dismiss (−1) and snooze (0) end it (one of them per tip); helpful (+0.5) or not_helpful (−0.5) rate it (one rating per tip). `expired` is oO's, never a user's.",
      type: 'string',
      enum: ['done', 'dismiss', 'snooze', 'helpful', 'not_helpful'],
    },
    snoozeMinutes: {
      description:
        'How long a snoozed task stays out of the tips, in minutes (default 60, at most 7 days); only with `snooze`.',
      type: 'integer',
      minimum: 1,
      maximum: 10080,
    },
  },
} as const;

/** Event data schemas by type, then version. */
export const eventSchemas = {
  'integration.connected': { 1: integrationConnectedV1Schema },
  'integration.disconnected': { 1: integrationDisconnectedV1Schema },
  'profile.updated': { 1: profileUpdatedV1Schema },
  'push.sent': { 1: pushSentV1Schema },
  'task.completed': { 1: taskCompletedV1Schema },
  'task.synced': { 1: taskSyncedV1Schema },
  'tip.feedback': { 1: tipFeedbackV1Schema },
  'tip.served': { 1: tipServedV1Schema },
  'user.deleted': { 1: userDeletedV1Schema },
  'user.purged': { 1: userPurgedV1Schema },
  'user.signed_up': { 1: userSignedUpV1Schema },
} as const;

/** The version a publisher writes today, by event type. */
export const currentEventVersions = {
  'integration.connected': 1,
  'integration.disconnected': 1,
  'profile.updated': 1,
  'push.sent': 1,
  'task.completed': 1,
  'task.synced': 1,
  'tip.feedback': 1,
  'tip.served': 1,
  'user.deleted': 1,
  'user.purged': 1,
  'user.signed_up': 1,
} as const;

/** RPC payload schemas by NATS subject. */
export const rpcSchemas = {
  'rpc.auth.keys': { request: keysRequestSchema, response: keysResponseSchema },
  'rpc.integrations.complete': {
    request: integrationsCompleteRequestSchema,
    response: integrationsCompleteResponseSchema,
  },
  'rpc.integrations.connect_url': {
    request: integrationsConnectUrlRequestSchema,
    response: integrationsConnectUrlResponseSchema,
  },
  'rpc.integrations.disconnect': {
    request: integrationsDisconnectRequestSchema,
    response: integrationsDisconnectResponseSchema,
  },
  'rpc.integrations.list': {
    request: integrationsListRequestSchema,
    response: integrationsListResponseSchema,
  },
  'rpc.integrations.tasks': {
    request: integrationsTasksRequestSchema,
    response: integrationsTasksResponseSchema,
  },
  'rpc.integrations.webhook': {
    request: integrationsWebhookRequestSchema,
    response: integrationsWebhookResponseSchema,
  },
  'rpc.notifier.list': { request: notifierListRequestSchema, response: notifierListResponseSchema },
  'rpc.notifier.subscribe': {
    request: notifierSubscribeRequestSchema,
    response: notifierSubscribeResponseSchema,
  },
  'rpc.notifier.unsubscribe': {
    request: notifierUnsubscribeRequestSchema,
    response: notifierUnsubscribeResponseSchema,
  },
  'rpc.notifier.vapid_public_key': {
    request: notifierVapidPublicKeyRequestSchema,
    response: notifierVapidPublicKeyResponseSchema,
  },
  'rpc.profile.delete': {
    request: profileDeleteRequestSchema,
    response: profileDeleteResponseSchema,
  },
  'rpc.profile.deletion_status': {
    request: profileDeletionStatusRequestSchema,
    response: profileDeletionStatusResponseSchema,
  },
  'rpc.profile.get': { request: profileGetRequestSchema, response: profileGetResponseSchema },
  'rpc.profile.legal': { request: legalRequestSchema, response: legalResponseSchema },
  'rpc.profile.update': {
    request: profileUpdateRequestSchema,
    response: profileUpdateResponseSchema,
  },
  'rpc.recommender.evaluate': { request: evaluateRequestSchema, response: evaluateResponseSchema },
  'rpc.recommender.feedback': {
    request: tipFeedbackRequestSchema,
    response: tipFeedbackResponseSchema,
  },
  'rpc.recommender.metrics': {
    request: recommenderMetricsRequestSchema,
    response: recommenderMetricsResponseSchema,
  },
  'rpc.recommender.recommend': {
    request: recommendRequestSchema,
    response: recommendResponseSchema,
  },
  'rpc.recommender.tip': {
    request: recommenderTipRequestSchema,
    response: recommenderTipResponseSchema,
  },
  'rpc.scorer.refresh_prior': {
    request: refreshPriorRequestSchema,
    response: refreshPriorResponseSchema,
  },
  'rpc.scorer.reset': { request: resetRequestSchema, response: resetResponseSchema },
  'rpc.scorer.score': { request: scoreRequestSchema, response: scoreResponseSchema },
  'rpc.scorer.stats': { request: statsRequestSchema, response: statsResponseSchema },
} as const;

/** Every HTTP route (schemas/http/routes.json) and the schemas of its body and query. */
export const httpRoutes = {
  'auth.google': {
    method: 'get',
    path: '/auth/google',
    access: 'public',
    query: googleStartQuerySchema,
  },
  'auth.google_callback': {
    method: 'get',
    path: '/auth/google/callback',
    access: 'public',
    query: googleCallbackQuerySchema,
  },
  'auth.dev_login': {
    method: 'post',
    path: '/auth/dev-login',
    access: 'public',
    body: devLoginBodySchema,
    query: noQuerySchema,
  },
  'auth.refresh': { method: 'post', path: '/auth/refresh', access: 'public', query: noQuerySchema },
  'auth.logout': { method: 'post', path: '/auth/logout', access: 'public', query: noQuerySchema },
  'auth.methods': { method: 'get', path: '/auth/methods', access: 'public', query: noQuerySchema },
  'session.get': { method: 'get', path: '/api/session', access: 'signed-in', query: noQuerySchema },
  'me.get': { method: 'get', path: '/api/me', access: 'signed-in', query: noQuerySchema },
  'me.update': {
    method: 'patch',
    path: '/api/me',
    access: 'signed-in',
    body: profileChangesSchema,
    query: noQuerySchema,
  },
  'me.delete': { method: 'delete', path: '/api/me', access: 'signed-in', query: noQuerySchema },
  'legal.get': {
    method: 'get',
    path: '/api/legal/{document}',
    access: 'public',
    query: noQuerySchema,
  },
  'integrations.todoist_connect': {
    method: 'get',
    path: '/integrations/todoist/connect',
    access: 'signed-in',
    query: noQuerySchema,
  },
  'integrations.todoist_callback': {
    method: 'get',
    path: '/integrations/todoist/callback',
    access: 'signed-in',
    query: todoistCallbackQuerySchema,
  },
  'integrations.list': {
    method: 'get',
    path: '/api/integrations',
    access: 'signed-in',
    query: noQuerySchema,
  },
  'integrations.todoist_disconnect': {
    method: 'delete',
    path: '/api/integrations/todoist',
    access: 'signed-in',
    query: noQuerySchema,
  },
  'tips.current': { method: 'get', path: '/api/tip', access: 'signed-in', query: noQuerySchema },
  'tips.get': {
    method: 'get',
    path: '/api/tips/{tipId}',
    access: 'signed-in',
    query: noQuerySchema,
  },
  'push.vapid_public_key': {
    method: 'get',
    path: '/api/push/vapid-public-key',
    access: 'public',
    query: noQuerySchema,
  },
  'push.subscribe': {
    method: 'post',
    path: '/api/push/subscriptions',
    access: 'signed-in',
    body: pushSubscriptionSchema,
    query: noQuerySchema,
  },
  'push.unsubscribe': {
    method: 'delete',
    path: '/api/push/subscriptions',
    access: 'signed-in',
    body: pushUnsubscribeBodySchema,
    query: noQuerySchema,
  },
  'webhooks.todoist': {
    method: 'post',
    path: '/webhooks/todoist',
    access: 'public',
    query: noQuerySchema,
  },
  'tips.feedback': {
    method: 'post',
    path: '/api/tips/{tipId}/feedback',
    access: 'signed-in',
    body: tipReactionBodySchema,
    query: noQuerySchema,
  },
  'docs.get': { method: 'get', path: '/api/docs', access: 'public', query: noQuerySchema },
} as const;
