import { ServerNats } from '@nestjs/microservices';
import { frameError, frameResponse, frameResponseJson } from './nest-wire.js';
import type { NatsReplySerializer } from './serialized-reply.js';

/** The serializer Nest's NATS server replies with. */
function nestSerializer(): NatsReplySerializer {
  const server = new ServerNats({});
  return (server as unknown as { serializer: NatsReplySerializer }).serializer;
}

const decoder = new TextDecoder();
const text = (data: unknown): string =>
  data instanceof Uint8Array ? decoder.decode(data) : String(data);

describe("Nest's reply framing", () => {
  const nest = nestSerializer();
  // What Nest's server sends for one value: the packet { response } marked disposed, then the id.
  const nestReply = (packet: Record<string, unknown>, id: string | number): string =>
    text(nest.serialize({ ...packet, isDisposed: true, id } as never).data);
  const value = { chosen: 'a', scores: [{ id: 'Zahnarzt – 9:00', mean: 0.1 }], n: 1 };

  it.each(['req-7', 42])('frames a response, as a value or as JSON, as Nest does (id %p)', (id) => {
    const json = JSON.stringify(value);
    expect(frameResponse(value, id)).toBe(nestReply({ response: value }, id));
    expect(frameResponseJson(json, id)).toBe(nestReply({ response: value }, id));
    expect(text(frameResponseJson(new TextEncoder().encode(json), id))).toBe(
      nestReply({ response: value }, id),
    );
  });

  it('leaves an undefined response out, as Nest does', () => {
    expect(frameResponse(undefined, '1')).toBe(nestReply({ response: undefined }, '1'));
  });

  it('frames an error as Nest does', () => {
    const err = { code: 'invalid_request', message: 'userId is required', field: 'userId' };
    expect(frameError(err, '3')).toBe(nestReply({ err }, '3'));
  });
});
