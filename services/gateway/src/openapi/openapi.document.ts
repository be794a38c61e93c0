import { z } from '@oo/config';
import { rpcSchemas } from '@oo/contracts';
import { profileChanges } from '../me/me.controller.js';

type Schema = Record<string, unknown>;

/** One documented route; `access` says what the AccessGuard demands. */
export interface DocumentedRoute {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  access: 'public' | 'signed-in';
  summary: string;
  body?: Schema;
  response?: { status: number; schema?: Schema; description: string };
}

/** JSON Schema for OpenAPI 3.1: without the draft-07 `$id`/`$schema` keywords. */
function plain(schema: unknown): Schema {
  const { $id: _id, $schema: _schema, ...rest } = schema as Schema;
  return rest;
}

const errorBody: Schema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        field: { type: 'string' },
      },
    },
  },
};

const profile = plain(rpcSchemas['rpc.profile.get'].response);

/** Every route the gateway serves (a test keeps this list and the controllers in step). */
export const DOCUMENTED_ROUTES: DocumentedRoute[] = [
  {
    method: 'get',
    path: '/auth/google',
    access: 'public',
    summary: 'Start Sign in with Google (state + PKCE); query returnTo',
    response: { status: 302, description: 'to Google' },
  },
  {
    method: 'get',
    path: '/auth/google/callback',
    access: 'public',
    summary: 'Google returns here; sets the session cookies',
    response: { status: 302, description: 'to the allow-listed returnTo' },
  },
  {
    method: 'post',
    path: '/auth/dev-login',
    access: 'public',
    summary: 'Development sign-in (AUTH_DEV_LOGIN only; 404 otherwise)',
    body: {
      type: 'object',
      required: ['email', 'name'],
      additionalProperties: false,
      properties: { email: { type: 'string', format: 'email' }, name: { type: 'string' } },
    },
    response: { status: 200, description: 'signed in; session cookies set' },
  },
  {
    method: 'post',
    path: '/auth/refresh',
    access: 'public',
    summary: 'Rotate the refresh cookie for a new session',
    response: { status: 204, description: 'new cookies set' },
  },
  {
    method: 'post',
    path: '/auth/logout',
    access: 'public',
    summary: 'End the session at once',
    response: { status: 204, description: 'cookies cleared' },
  },
  {
    method: 'get',
    path: '/api/session',
    access: 'signed-in',
    summary: 'The current session',
    response: {
      status: 200,
      description: 'the session',
      schema: {
        type: 'object',
        properties: {
          userId: { type: 'string' },
          sessionId: { type: 'string' },
          expiresAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
  {
    method: 'get',
    path: '/api/me',
    access: 'signed-in',
    summary: 'Your profile',
    response: { status: 200, description: 'the profile', schema: profile },
  },
  {
    method: 'patch',
    path: '/api/me',
    access: 'signed-in',
    summary: 'Change your time zone, quiet hours, push preference, or accept the terms',
    body: z.toJSONSchema(profileChanges),
    response: { status: 200, description: 'the profile after the change', schema: profile },
  },
  {
    method: 'delete',
    path: '/api/me',
    access: 'signed-in',
    summary: 'Delete your account everywhere; every session ends at once',
    response: {
      status: 202,
      description: 'deletion under way',
      schema: plain(rpcSchemas['rpc.profile.delete'].response),
    },
  },
  {
    method: 'get',
    path: '/api/legal/{document}',
    access: 'public',
    summary: 'The terms or the privacy notice (document: terms | privacy)',
    response: {
      status: 200,
      description: 'the text',
      schema: plain(rpcSchemas['rpc.profile.legal'].response),
    },
  },
];

/** The OpenAPI 3.1 document served at /api/docs. */
export function openApiDocument(publicUrl: string): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const route of DOCUMENTED_ROUTES) {
    const operation: Schema = {
      summary: route.summary,
      security: route.access === 'signed-in' ? [{ session: [] }] : [],
      responses: {
        ...(route.response
          ? {
              [route.response.status]: {
                description: route.response.description,
                ...(route.response.schema
                  ? { content: { 'application/json': { schema: route.response.schema } } }
                  : {}),
              },
            }
          : {}),
        default: {
          description: 'an error',
          content: { 'application/json': { schema: errorBody } },
        },
      },
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: route.body } },
            },
          }
        : {}),
      ...(route.access === 'signed-in' && route.method !== 'get'
        ? {
            parameters: [
              {
                name: 'X-OO-CSRF',
                in: 'header',
                required: true,
                schema: { type: 'string' },
                description: 'equal to the oo_csrf cookie',
              },
            ],
          }
        : {}),
    };
    (paths[route.path] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'oO gateway',
      version: '1',
      description: 'One tip. Right now. Errors are {"error": {"code", "message", "field"?}}.',
    },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'oo_session' } },
    },
    paths,
  };
}
