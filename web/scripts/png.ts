import { crc32, deflateSync } from 'node:zlib';

/** An 8-bit grayscale image, row by row: 0 is black, 255 white. */
export interface GrayImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const GRAYSCALE = 0;
const NO_FILTER = 0;

/**
 * Encodes a grayscale image as a PNG (RFC 2083): IHDR, one IDAT of the deflated scanlines (each
 * led by its filter byte), IEND. Grayscale is enough for a white mark on black and keeps the
 * files a fraction of RGBA's size.
 */
export function encodePng(image: GrayImage): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header[8] = 8; // bits per sample
  header[9] = GRAYSCALE;
  header[10] = 0; // deflate
  header[11] = 0; // adaptive filtering
  header[12] = 0; // no interlace

  const scanlines = Buffer.alloc((image.width + 1) * image.height);
  for (let y = 0; y < image.height; y++) {
    const row = y * (image.width + 1);
    scanlines[row] = NO_FILTER;
    scanlines.set(image.pixels.subarray(y * image.width, (y + 1) * image.width), row + 1);
  }

  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** length, type, data, and the CRC-32 of type + data. */
function chunk(type: string, data: Buffer): Buffer {
  const typeBytes = Buffer.from(type, 'latin1');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([typeBytes, data])));
  return Buffer.concat([length, typeBytes, data, crc]);
}
