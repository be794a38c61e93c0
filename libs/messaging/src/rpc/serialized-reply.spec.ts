import { ServerNats } from '@nestjs/microservices';
import {
  RpcReplySerializer,
  SerializedReply,
  type NatsReplySerializer,
} from './serialized-reply.js';

/** The serializer Nest's NATS server uses by default. */
function nestSerializer(): NatsReplySerializer {
  const server = new ServerNats({});
  return (server as unknown as { serializer: NatsReplySerializer }).serializer;
}

const decoder = new TextDecoder();
const text = (data: unknown): string =>
  data instanceof Uint8Array ? decoder.decode(data) : String(data);

describe('RpcReplySerializer', () => {
  const nest = nestSerializer();
  const ours = new RpcReplySerializer(nest);
  const value = { tasks: [{ taskId: 'a1', title: 'Call the dentist – Thursday’s 9:00' }], n: 1 };

  it('sends a SerializedReply as the very JSON Nest would have made of the value', () => {
    const packet = { response: SerializedReply.of(value), isDisposed: true, id: 'req-7' };
    const sent = ours.serialize(packet);
    expect(JSON.parse(text(sent.data))).toEqual(
      JSON.parse(text(nest.serialize({ response: value, isDisposed: true, id: 'req-7' }).data)),
    );
    expect(sent.headers).toBeUndefined();
  });

  it('frames every other packet exactly as Nest does', () => {
    for (const packet of [
      { response: value, isDisposed: true, id: '1' },
      {
        err: { code: 'invalid_request', message: 'userId is required' },
        isDisposed: true,
        id: '2',
      },
      { isDisposed: true, id: '3' },
    ]) {
      expect(ours.serialize(packet)).toEqual(nest.serialize(packet));
    }
  });

  it('makes the JSON once per object, and anew for another object', () => {
    const first = SerializedReply.of(value);
    expect(SerializedReply.of(value)).toBe(first);
    const other = SerializedReply.of({ ...value, n: 2 });
    expect(other).not.toBe(first);
    expect(JSON.parse(decoder.decode(other.bytes))).toEqual({ ...value, n: 2 });
  });
});
