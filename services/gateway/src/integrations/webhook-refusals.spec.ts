import { senderOf } from './webhook-refusals.js';

describe('whom a refused webhook delivery counts against', () => {
  it('an IPv4 address as it is, also when it arrives IPv4-mapped', () => {
    expect(senderOf('203.0.113.7')).toBe('203.0.113.7');
    expect(senderOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('an IPv6 address by its /64, however it is written', () => {
    const network = '2001:db8:85a3:42::/64';
    expect(senderOf('2001:db8:85a3:42::1')).toBe(network);
    expect(senderOf('2001:0db8:85a3:0042:ffff:1:2:3')).toBe(network);
    expect(senderOf('2001:DB8:85A3:42:0:0:0:9')).toBe(network);
    expect(senderOf('2001:db8:85a3:43::1')).not.toBe(network);
    expect(senderOf('::1')).toBe('0:0:0:0::/64');
  });
});
