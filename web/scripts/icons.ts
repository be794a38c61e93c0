// Draws the oO mark — a small white ring "o" beside a larger white ring "O", on black — into
// the app's icons. Run from the workspace root after changing the mark:
//   node web/scripts/icons.ts
// (Node 24 runs TypeScript by stripping its types.) The PNGs it writes are committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { encodePng, type GrayImage } from './png.ts';

interface Ring {
  /** Centre and radii in mark units; the mark's baseline is y = 0, up is negative. */
  cx: number;
  cy: number;
  outer: number;
  inner: number;
}

/** Like the letters: both rings sit on one baseline, the "O" about twice the "o". */
const STROKE = 0.13;
const SMALL = 0.52;
const LARGE = 1;
const GAP = 0.2;
const MARK: readonly Ring[] = [
  { cx: SMALL, cy: -SMALL, outer: SMALL, inner: SMALL - STROKE },
  { cx: 2 * SMALL + GAP + LARGE, cy: -LARGE, outer: LARGE, inner: LARGE - STROKE },
];

/**
 * The mark scaled and centred in a square of `size` pixels so that it reaches at most `reach`
 * of the size from the centre: 0.4 keeps a maskable icon's mark inside the 80 % safe circle.
 */
function placedMark(size: number, reach: number): Ring[] {
  const left = Math.min(...MARK.map((ring) => ring.cx - ring.outer));
  const right = Math.max(...MARK.map((ring) => ring.cx + ring.outer));
  const top = Math.min(...MARK.map((ring) => ring.cy - ring.outer));
  const centre = { x: (left + right) / 2, y: top / 2 };
  const farthest = Math.max(
    ...MARK.map((ring) => Math.hypot(ring.cx - centre.x, ring.cy - centre.y) + ring.outer),
  );
  const scale = (reach * size) / farthest;
  return MARK.map((ring) => ({
    cx: size / 2 + (ring.cx - centre.x) * scale,
    cy: size / 2 + (ring.cy - centre.y) * scale,
    outer: ring.outer * scale,
    inner: ring.inner * scale,
  }));
}

/**
 * How much of the pixel centred at distance `d` a ring covers: the distance to each edge,
 * clamped to one pixel, gives a smooth (anti-aliased) edge without supersampling.
 */
function coverage(ring: Ring, x: number, y: number): number {
  const d = Math.hypot(x - ring.cx, y - ring.cy);
  const insideOuter = Math.min(1, Math.max(0, ring.outer - d + 0.5));
  const outsideInner = Math.min(1, Math.max(0, d - ring.inner + 0.5));
  return Math.min(insideOuter, outsideInner);
}

function drawIcon(size: number, reach: number): GrayImage {
  const rings = placedMark(size, reach);
  const pixels = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const lit = Math.max(...rings.map((ring) => coverage(ring, x + 0.5, y + 0.5)));
      pixels[y * size + x] = Math.round(255 * lit);
    }
  }
  return { width: size, height: size, pixels };
}

/** The same mark as vector, for browsers that take an SVG favicon. */
function svgIcon(): string {
  const size = 64;
  const circles = placedMark(size, 0.44)
    .map((ring) => {
      const r = (ring.outer + ring.inner) / 2;
      const width = ring.outer - ring.inner;
      return `<circle cx="${ring.cx.toFixed(2)}" cy="${ring.cy.toFixed(2)}" r="${r.toFixed(2)}" stroke-width="${width.toFixed(2)}"/>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}"><rect width="${size}" height="${size}" fill="#000"/><g fill="none" stroke="#fff">${circles}</g></svg>\n`;
}

const PUBLIC = new URL('../public/', import.meta.url);
const ICONS = new URL('icons/', PUBLIC);
mkdirSync(ICONS, { recursive: true });

/** Plain icons fill most of the square; the maskable one keeps to the safe zone. */
const ICON_FILES: ReadonlyArray<{ file: URL; size: number; reach: number }> = [
  { file: new URL('icon-192.png', ICONS), size: 192, reach: 0.44 },
  { file: new URL('icon-512.png', ICONS), size: 512, reach: 0.44 },
  { file: new URL('icon-maskable-512.png', ICONS), size: 512, reach: 0.36 },
  { file: new URL('apple-touch-icon.png', ICONS), size: 180, reach: 0.38 },
  { file: new URL('favicon-32.png', ICONS), size: 32, reach: 0.47 },
];

for (const { file, size, reach } of ICON_FILES) {
  writeFileSync(file, encodePng(drawIcon(size, reach)));
}
writeFileSync(new URL('favicon.svg', ICONS), svgIcon());
console.log(`Wrote ${ICON_FILES.length + 1} icons to ${ICONS.pathname}`);
