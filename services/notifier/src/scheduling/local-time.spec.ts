import {
  isQuietAt,
  localDate,
  nextLocalMidnight,
  quietEndAfter,
  zonedInstant,
  type QuietHours,
} from './local-time.js';

// The 2026 changes used below (checked against the runtime's tz data):
//   Europe/Berlin        03-29 02:00 CET → 03:00 CEST (01:00Z);
//                        10-25 03:00 CEST → 02:00 CET (01:00Z)
//   America/New_York     03-08 02:00 EST → 03:00 EDT (07:00Z); 11-01 02:00 EDT → 01:00 EST (06:00Z)
//   Australia/Lord_Howe  04-05 02:00 +11 → 01:30 +10:30 (04-04 15:00Z);
//                        10-04 02:00 +10:30 → 02:30 +11 (10-03 15:30Z)
//   America/Santiago     04-05 00:00 -03 → 04-04 23:00 -04 (03:00Z);
//                        09-06 00:00 -04 → 01:00 -03 (04:00Z)
//   Asia/Beirut          03-29 00:00 +02 → 01:00 +03 (03-28 22:00Z);
//                        10-25 00:00 +03 → 10-24 23:00 +02 (10-24 21:00Z)
//   America/Havana       11-01 01:00 -04 → 00:00 -05 (05:00Z): midnight happens twice
//   Pacific/Apia skipped 2011-12-30 (-10 → +14 at 2011-12-30 10:00Z)
const NIGHT: QuietHours = { start: '22:00', end: '07:00' };
const OFFICE: QuietHours = { start: '09:00', end: '17:00' };
const BERLIN = 'Europe/Berlin';

const iso = (instant: Date): string => instant.toISOString();

describe('isQuietAt', () => {
  it.each([
    ['exactly 22:00 CET', '2026-01-15T21:00:00Z', true],
    ['21:59:59 CET', '2026-01-15T20:59:59Z', false],
    ['00:30 CET, after midnight', '2026-01-15T23:30:00Z', true],
    ['06:59:59 CET', '2026-01-16T05:59:59Z', true],
    ['exactly 07:00 CET', '2026-01-16T06:00:00Z', false],
    ['noon CET', '2026-01-16T11:00:00Z', false],
    ['exactly 22:00 CEST', '2026-07-01T20:00:00Z', true],
    ['21:30 CEST (22:00 would be CET)', '2026-07-01T19:30:00Z', false],
    ['06:30 CEST', '2026-07-02T04:30:00Z', true],
    ['07:30 CEST (06:30 would be CET)', '2026-07-02T05:30:00Z', false],
  ])('Berlin 22:00–07:00 at %s', (_, instant, quiet) => {
    expect(isQuietAt(new Date(instant), NIGHT, BERLIN)).toBe(quiet);
  });

  it.each([
    ['08:59 CET', '2026-01-15T07:59:00Z', false],
    ['exactly 09:00 CET', '2026-01-15T08:00:00Z', true],
    ['16:59:59 CET', '2026-01-15T15:59:59Z', true],
    ['exactly 17:00 CET', '2026-01-15T16:00:00Z', false],
    ['23:00 CET', '2026-01-15T22:00:00Z', false],
    ['00:00 CET', '2026-01-15T23:00:00Z', false],
  ])('Berlin 09:00–17:00, not crossing midnight, at %s', (_, instant, quiet) => {
    expect(isQuietAt(new Date(instant), OFFICE, BERLIN)).toBe(quiet);
  });

  it('is never quiet when start equals end, not even at that time', () => {
    const same = { start: '07:00', end: '07:00' };
    for (const instant of [
      '2026-01-16T06:00:00Z',
      '2026-01-16T05:59:00Z',
      '2026-01-15T23:00:00Z',
    ]) {
      expect(isQuietAt(new Date(instant), same, BERLIN)).toBe(false);
    }
  });

  it.each([
    ['Asia/Kolkata', '2026-06-01T16:29:00Z', false], // 21:59 IST
    ['Asia/Kolkata', '2026-06-01T16:30:00Z', true], // 22:00 IST
    ['Asia/Kolkata', '2026-06-02T01:29:00Z', true], // 06:59 IST
    ['Asia/Kolkata', '2026-06-02T01:30:00Z', false], // 07:00 IST
    ['Pacific/Kiritimati', '2026-06-01T07:59:00Z', false], // 21:59 +14
    ['Pacific/Kiritimati', '2026-06-01T08:00:00Z', true], // 22:00 +14
    ['Pacific/Kiritimati', '2026-06-01T17:00:00Z', false], // 07:00 +14, the next day
    ['America/New_York', '2026-03-08T10:59:00Z', true], // 06:59 EDT, the first day of DST
    ['America/New_York', '2026-03-08T11:00:00Z', false], // 07:00 EDT
    ['Australia/Lord_Howe', '2026-10-03T20:00:00Z', false], // 07:00 +11, the first day of DST
    ['Australia/Lord_Howe', '2026-10-03T19:59:00Z', true], // 06:59 +11
  ])('22:00–07:00 in %s at %s is %s', (zone, instant, quiet) => {
    expect(isQuietAt(new Date(instant), NIGHT, zone)).toBe(quiet);
  });

  it('reads an unknown time zone as UTC', () => {
    expect(isQuietAt(new Date('2026-01-15T22:00:00Z'), NIGHT, 'Mars/Olympus')).toBe(true);
    expect(isQuietAt(new Date('2026-01-15T21:59:00Z'), NIGHT, 'Mars/Olympus')).toBe(false);
    expect(isQuietAt(new Date('2026-01-16T07:00:00Z'), NIGHT, '')).toBe(false);
  });

  it('refuses a clock time that is not HH:MM', () => {
    const instant = new Date('2026-01-15T22:00:00Z');
    expect(() => isQuietAt(instant, { start: '24:00', end: '07:00' }, BERLIN)).toThrow(RangeError);
    expect(() => isQuietAt(instant, { start: '22:00', end: '7:00' }, BERLIN)).toThrow(/'7:00'/);
  });
});

describe('quietEndAfter', () => {
  it('returns the instant itself outside quiet hours', () => {
    const noon = new Date('2026-01-15T11:00:00Z');
    expect(quietEndAfter(noon, NIGHT, BERLIN)).toBe(noon);
    const seven = new Date('2026-01-16T06:00:00Z');
    expect(quietEndAfter(seven, NIGHT, BERLIN)).toBe(seven);
  });

  it.each([
    ['at exactly 22:00: the next day', '2026-01-15T21:00:00Z', '2026-01-16T06:00:00.000Z'],
    ['at 23:30: the next day', '2026-01-15T22:30:00Z', '2026-01-16T06:00:00.000Z'],
    ['at 00:30: the same day', '2026-01-15T23:30:00Z', '2026-01-16T06:00:00.000Z'],
    ['at 03:00: the same day', '2026-01-16T02:00:00Z', '2026-01-16T06:00:00.000Z'],
    ['at 06:59:59: the same day', '2026-01-16T05:59:59Z', '2026-01-16T06:00:00.000Z'],
  ])('Berlin 22:00–07:00 in winter %s', (_, instant, end) => {
    expect(iso(quietEndAfter(new Date(instant), NIGHT, BERLIN))).toBe(end);
  });

  it('ends a daytime period on the same day', () => {
    const tenCest = new Date('2026-07-01T08:00:00Z');
    expect(iso(quietEndAfter(tenCest, OFFICE, BERLIN))).toBe('2026-07-01T15:00:00.000Z');
    const nineCet = new Date('2026-01-15T08:00:00Z');
    expect(iso(quietEndAfter(nineCet, OFFICE, BERLIN))).toBe('2026-01-15T16:00:00.000Z');
  });

  it.each([
    ['23:30 CET the evening before', '2026-03-28T22:30:00Z'],
    ['01:30 CET, before the gap', '2026-03-29T00:30:00Z'],
    ['03:30 CEST, after the gap', '2026-03-29T01:30:00Z'],
  ])('Berlin spring forward: from %s to 07:00 CEST', (_, instant) => {
    expect(iso(quietEndAfter(new Date(instant), NIGHT, BERLIN))).toBe('2026-03-29T05:00:00.000Z');
  });

  it.each([
    ['23:30 CEST the evening before', '2026-10-24T21:30:00Z'],
    ['02:30 CEST, the first time', '2026-10-25T00:30:00Z'],
    ['02:30 CET, the second time', '2026-10-25T01:30:00Z'],
  ])('Berlin fall back: from %s to 07:00 CET', (_, instant) => {
    expect(iso(quietEndAfter(new Date(instant), NIGHT, BERLIN))).toBe('2026-10-25T06:00:00.000Z');
  });

  it('ends at the first instant after the gap when the end is skipped', () => {
    const quiet = { start: '22:00', end: '02:30' };
    const evening = new Date('2026-03-28T22:30:00Z'); // 23:30 CET
    expect(iso(quietEndAfter(evening, quiet, BERLIN))).toBe('2026-03-29T01:00:00.000Z');
    const justBefore = new Date('2026-03-29T00:59:59Z'); // 01:59:59 CET
    expect(iso(quietEndAfter(justBefore, quiet, BERLIN))).toBe('2026-03-29T01:00:00.000Z');
    const afterGap = new Date('2026-03-29T01:00:00Z'); // 03:00 CEST
    expect(quietEndAfter(afterGap, quiet, BERLIN)).toBe(afterGap);
  });

  it('ends at the first occurrence of a repeated end, and at the second once that passed', () => {
    const quiet = { start: '22:00', end: '02:30' };
    const evening = new Date('2026-10-24T21:30:00Z'); // 23:30 CEST
    expect(iso(quietEndAfter(evening, quiet, BERLIN))).toBe('2026-10-25T00:30:00.000Z');
    const between = new Date('2026-10-25T00:45:00Z'); // 02:45 CEST
    expect(quietEndAfter(between, quiet, BERLIN)).toBe(between);
    // 02:10 CET: the clock reads quiet hours again
    const repeated = new Date('2026-10-25T01:10:00Z');
    expect(iso(quietEndAfter(repeated, quiet, BERLIN))).toBe('2026-10-25T01:30:00.000Z');
  });

  it.each([
    // 22:30 EST → 07:00 EDT
    ['America/New_York', '2026-03-08T03:30:00Z', '2026-03-08T11:00:00.000Z'],
    // 22:30 EDT → 07:00 EST
    ['America/New_York', '2026-11-01T02:30:00Z', '2026-11-01T12:00:00.000Z'],
    // 22:30 +11 → 07:00 +10:30
    ['Australia/Lord_Howe', '2026-04-04T11:30:00Z', '2026-04-04T20:30:00.000Z'],
    // 22:00 +10:30 → 07:00 +11
    ['Australia/Lord_Howe', '2026-10-03T11:30:00Z', '2026-10-03T20:00:00.000Z'],
    // 01:30 → 07:00 the same day
    ['Asia/Kolkata', '2026-06-01T20:00:00Z', '2026-06-02T01:30:00.000Z'],
    // 22:30 → 07:00 the next day
    ['Asia/Kolkata', '2026-06-01T17:00:00Z', '2026-06-02T01:30:00.000Z'],
    // 22:00 → 07:00 the next day
    ['Pacific/Kiritimati', '2026-06-01T08:00:00Z', '2026-06-01T17:00:00.000Z'],
    // read as UTC: 23:00 → 07:00
    ['Not/AZone', '2026-01-15T23:00:00Z', '2026-01-16T07:00:00.000Z'],
  ])('22:00–07:00 in %s: from %s to %s', (zone, instant, end) => {
    expect(iso(quietEndAfter(new Date(instant), NIGHT, zone))).toBe(end);
  });

  it('ends at the first instant after the gap in New York, the first 01:30 in the overlap', () => {
    const nightToHalfTwo = { start: '23:00', end: '02:30' };
    const midnightEst = new Date('2026-03-08T05:00:00Z');
    expect(iso(quietEndAfter(midnightEst, nightToHalfTwo, 'America/New_York'))).toBe(
      '2026-03-08T07:00:00.000Z',
    );
    const nightToHalfOne = { start: '23:00', end: '01:30' };
    const midnightEdt = new Date('2026-11-01T04:00:00Z');
    expect(iso(quietEndAfter(midnightEdt, nightToHalfOne, 'America/New_York'))).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });
});

describe('zonedInstant', () => {
  it.each([
    ['Europe/Berlin', '2026-01-15', '07:00', '2026-01-15T06:00:00.000Z'],
    ['Europe/Berlin', '2026-07-01', '07:00', '2026-07-01T05:00:00.000Z'],
    ['Asia/Kolkata', '2026-06-01', '00:00', '2026-05-31T18:30:00.000Z'],
    ['Pacific/Kiritimati', '2026-06-01', '07:00', '2026-05-31T17:00:00.000Z'],
    ['America/New_York', '2026-07-04', '23:59', '2026-07-05T03:59:00.000Z'],
  ])('reads %s %s %s', (zone, date, time, instant) => {
    expect(iso(zonedInstant(date, time, zone))).toBe(instant);
  });

  it.each([
    ['01:59, before the gap', '01:59', '2026-03-29T00:59:00.000Z'],
    ['02:00, the start of the gap', '02:00', '2026-03-29T01:00:00.000Z'],
    ['02:30, in the gap', '02:30', '2026-03-29T01:00:00.000Z'],
    ['02:59, the end of the gap', '02:59', '2026-03-29T01:00:00.000Z'],
    ['03:00, after the gap', '03:00', '2026-03-29T01:00:00.000Z'],
    ['03:01', '03:01', '2026-03-29T01:01:00.000Z'],
  ])('Berlin spring forward: %s', (_, time, instant) => {
    expect(iso(zonedInstant('2026-03-29', time, BERLIN))).toBe(instant);
  });

  it.each([
    ['01:59, before the overlap', '01:59', '2026-10-24T23:59:00.000Z'],
    ['02:00, first occurrence', '02:00', '2026-10-25T00:00:00.000Z'],
    ['02:30, first occurrence (CEST)', '02:30', '2026-10-25T00:30:00.000Z'],
    ['02:59, first occurrence', '02:59', '2026-10-25T00:59:00.000Z'],
    ['03:00, after the overlap', '03:00', '2026-10-25T02:00:00.000Z'],
  ])('Berlin fall back: %s', (_, time, instant) => {
    expect(iso(zonedInstant('2026-10-25', time, BERLIN))).toBe(instant);
  });

  it.each([
    // in the gap: 03:00 EDT
    ['America/New_York', '2026-03-08', '02:30', '2026-03-08T07:00:00.000Z'],
    // repeated: 01:30 EDT
    ['America/New_York', '2026-11-01', '01:30', '2026-11-01T05:30:00.000Z'],
    // in the 30-minute gap: 02:30 +11
    ['Australia/Lord_Howe', '2026-10-04', '02:15', '2026-10-03T15:30:00.000Z'],
    // repeated: 01:45 +11; and 02:00, just after the overlap, +10:30
    ['Australia/Lord_Howe', '2026-04-05', '01:45', '2026-04-04T14:45:00.000Z'],
    ['Australia/Lord_Howe', '2026-04-05', '02:00', '2026-04-04T15:30:00.000Z'],
    // on the day Samoa skipped: 2011-12-31 00:00 +14
    ['Pacific/Apia', '2011-12-30', '12:00', '2011-12-30T10:00:00.000Z'],
  ])('resolves %s %s %s to %s', (zone, date, time, instant) => {
    expect(iso(zonedInstant(date, time, zone))).toBe(instant);
  });

  it('reads an unknown time zone as UTC', () => {
    expect(iso(zonedInstant('2026-03-29', '02:30', 'Not/AZone'))).toBe('2026-03-29T02:30:00.000Z');
  });

  it.each([['2026-02-30'], ['2026-3-29'], ['29.03.2026'], ['']])('refuses the date %p', (date) => {
    expect(() => zonedInstant(date, '07:00', BERLIN)).toThrow(RangeError);
  });

  it.each([['24:00'], ['7:00'], ['07:60'], ['07:00:00']])('refuses the time %p', (time) => {
    expect(() => zonedInstant('2026-03-29', time, BERLIN)).toThrow(RangeError);
  });
});

describe('localDate', () => {
  it.each([
    ['Europe/Berlin', '2026-03-28T22:59:59Z', '2026-03-28'], // 23:59:59 CET
    ['Europe/Berlin', '2026-03-28T23:00:00Z', '2026-03-29'], // 00:00 CET
    ['Europe/Berlin', '2026-03-29T21:59:59Z', '2026-03-29'], // 23:59:59 CEST
    ['Europe/Berlin', '2026-03-29T22:00:00Z', '2026-03-30'], // 00:00 CEST
    ['Europe/Berlin', '2026-10-24T21:59:59Z', '2026-10-24'], // 23:59:59 CEST
    ['Europe/Berlin', '2026-10-24T22:00:00Z', '2026-10-25'], // 00:00 CEST
    ['Europe/Berlin', '2026-10-25T22:59:59Z', '2026-10-25'], // 23:59:59 CET
    ['Europe/Berlin', '2026-10-25T23:00:00Z', '2026-10-26'], // 00:00 CET
    ['America/New_York', '2026-03-08T04:59:59Z', '2026-03-07'],
    ['America/New_York', '2026-03-08T05:00:00Z', '2026-03-08'],
    ['America/New_York', '2026-11-01T04:00:00Z', '2026-11-01'],
    ['Asia/Kolkata', '2026-05-31T18:29:59Z', '2026-05-31'],
    ['Asia/Kolkata', '2026-05-31T18:30:00Z', '2026-06-01'],
    ['Pacific/Kiritimati', '2026-06-01T09:59:59Z', '2026-06-01'],
    ['Pacific/Kiritimati', '2026-06-01T10:00:00Z', '2026-06-02'],
    ['America/Santiago', '2026-09-06T03:59:59Z', '2026-09-05'],
    ['America/Santiago', '2026-09-06T04:00:00Z', '2026-09-06'], // 01:00 -03: midnight was skipped
    ['America/Santiago', '2026-04-05T03:30:00Z', '2026-04-04'], // 23:30 -04, the second time
    ['Pacific/Apia', '2011-12-30T10:00:00Z', '2011-12-31'], // the 30th never happened
    ['Not/AZone', '2026-01-15T23:59:59Z', '2026-01-15'],
    ['Not/AZone', '2026-01-16T00:00:00Z', '2026-01-16'],
  ])('in %s at %s is %s', (zone, instant, date) => {
    expect(localDate(new Date(instant), zone)).toBe(date);
  });
});

describe('nextLocalMidnight', () => {
  it.each([
    // 13:00 CET, the day before DST starts
    [BERLIN, '2026-03-28T12:00:00Z', '2026-03-28T23:00:00.000Z'],
    // 01:00 CET, on the 23-hour day
    [BERLIN, '2026-03-29T00:00:00Z', '2026-03-29T22:00:00.000Z'],
    // midnight itself: the next one
    [BERLIN, '2026-03-28T23:00:00Z', '2026-03-29T22:00:00.000Z'],
    // 14:00 CEST, the day before DST ends
    [BERLIN, '2026-10-24T12:00:00Z', '2026-10-24T22:00:00.000Z'],
    // 02:30 CEST and 02:30 CET, on the 25-hour day
    [BERLIN, '2026-10-25T00:30:00Z', '2026-10-25T23:00:00.000Z'],
    [BERLIN, '2026-10-25T01:30:00Z', '2026-10-25T23:00:00.000Z'],
    // 07:00 EST, the day DST ends
    ['America/New_York', '2026-11-01T12:00:00Z', '2026-11-02T05:00:00.000Z'],
    // 12:30 +10:30 → 00:00 +10:30; the next day 13:00 +11 → 00:00 +11
    ['Australia/Lord_Howe', '2026-10-03T02:00:00Z', '2026-10-03T13:30:00.000Z'],
    ['Australia/Lord_Howe', '2026-10-04T02:00:00Z', '2026-10-04T13:00:00.000Z'],
    ['Asia/Kolkata', '2026-06-01T12:00:00Z', '2026-06-01T18:30:00.000Z'],
    ['Pacific/Kiritimati', '2026-06-01T00:00:00Z', '2026-06-01T10:00:00.000Z'],
    // midnight skipped: the day starts at 01:00 -03
    ['America/Santiago', '2026-09-05T16:00:00Z', '2026-09-06T04:00:00.000Z'],
    // 23:30 -03, then 23:30 -04 again: the next day starts once, at 00:00 -04
    ['America/Santiago', '2026-04-05T02:30:00Z', '2026-04-05T04:00:00.000Z'],
    ['America/Santiago', '2026-04-05T03:30:00Z', '2026-04-05T04:00:00.000Z'],
    // midnight skipped: the day starts at 01:00 +03
    ['Asia/Beirut', '2026-03-28T10:00:00Z', '2026-03-28T22:00:00.000Z'],
    // 23:00–24:00 repeated: the next day starts at 00:00 +02
    ['Asia/Beirut', '2026-10-24T10:00:00Z', '2026-10-24T22:00:00.000Z'],
    // midnight happens twice: the first
    ['America/Havana', '2026-10-31T16:00:00Z', '2026-11-01T04:00:00.000Z'],
    // the 30th never happened: the next day is the 31st, 00:00 +14
    ['Pacific/Apia', '2011-12-29T12:00:00Z', '2011-12-30T10:00:00.000Z'],
    // read as UTC
    ['Not/AZone', '2026-03-28T23:30:00Z', '2026-03-29T00:00:00.000Z'],
  ])('in %s from %s is %s', (zone, instant, midnight) => {
    const next = nextLocalMidnight(new Date(instant), zone);
    expect(iso(next)).toBe(midnight);
    expect(localDate(next, zone) > localDate(new Date(instant), zone)).toBe(true);
  });
});

describe('formatter cache', () => {
  it('builds no Intl formatter per call once a zone has been seen', () => {
    const original = Intl.DateTimeFormat;
    let built = 0;
    const counting = new Proxy(original, {
      construct(target, args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
        built += 1;
        return new target(...args);
      },
    });
    const instant = new Date('2026-10-24T21:30:00Z');
    quietEndAfter(instant, NIGHT, 'Europe/Lisbon');
    Intl.DateTimeFormat = counting;
    try {
      for (let k = 0; k < 1_000; k += 1) {
        const later = new Date(instant.getTime() + k * 60_000);
        isQuietAt(later, NIGHT, 'Europe/Lisbon');
        quietEndAfter(later, NIGHT, 'Europe/Lisbon');
        nextLocalMidnight(later, 'Europe/Lisbon');
      }
      expect(built).toBe(0);
      nextLocalMidnight(instant, 'Europe/Madrid');
      expect(built).toBe(1);
    } finally {
      Intl.DateTimeFormat = original;
    }
  });
});
