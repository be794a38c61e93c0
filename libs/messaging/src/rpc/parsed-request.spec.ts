import type { Msg } from '@nats-io/transport-node';
import { NatsRequestJSONDeserializer } from '@nestjs/microservices';
import { ParsedRequestDeserializer, readRequestBody } from './parsed-request.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** As much of a NATS message as Nest's deserializer and ours read. */
function message(body: string): Msg {
  const data = encoder.encode(body);
  return {
    data,
    string: () => decoder.decode(data),
    json: <T>() => JSON.parse(decoder.decode(data)) as T,
  } as Msg;
}

describe('ParsedRequestDeserializer', () => {
  const nest = new NatsRequestJSONDeserializer();
  const options = { channel: 'rpc.scorer.stats', replyTo: '_INBOX.1' };

  it.each([
    ['a request', '{"pattern":"rpc.scorer.stats","data":{"userId":"u"},"id":"7"}'],
    ['a numeric id', '{"pattern":"rpc.scorer.stats","data":{"userId":"u"},"id":7}'],
    ['data without a pattern', '{"data":{"userId":"u"},"id":"1"}'],
    ['a bare body (taken for an event)', '{"userId":"u"}'],
    ['an id alone', '{"id":"1"}'],
    ['null', 'null'],
    ['a number', '42'],
  ])('maps %s exactly as Nest does, from the body parsed once', (_, body) => {
    const ours = new ParsedRequestDeserializer(nest);
    const handed = message(body);
    const read = readRequestBody(handed);
    expect(read.readable).toBe(true);
    if (read.readable) ours.remember(handed, read.value);
    expect(ours.deserialize(handed, options)).toEqual(nest.deserialize(message(body), options));
  });

  it("leaves a message it was not handed, or one not JSON, to Nest's own", () => {
    const ours = new ParsedRequestDeserializer(nest);
    const body = '{"pattern":"p","data":1,"id":"1"}';
    expect(ours.deserialize(message(body), options)).toEqual(
      nest.deserialize(message(body), options),
    );
    expect(readRequestBody(message('not json'))).toEqual({ readable: false });
    expect(() => ours.deserialize(message('not json'), options)).toThrow(SyntaxError);
  });

  it('uses a parsed body once', () => {
    const ours = new ParsedRequestDeserializer(nest);
    const handed = message('{"pattern":"p","data":{"a":1},"id":"1"}');
    ours.remember(handed, { pattern: 'p', data: { a: 2 }, id: '1' });
    expect(ours.deserialize(handed, options)).toMatchObject({ data: { a: 2 } });
    // A second call reads the message itself.
    expect(ours.deserialize(handed, options)).toMatchObject({ data: { a: 1 } });
  });
});
