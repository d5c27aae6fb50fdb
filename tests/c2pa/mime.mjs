// SPDX-License-Identifier: ISC
// The media type the reference is told for a file: from its first bytes, as ref.mjs decides it,
// else from the extension.
const EXT = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif',
  tif: 'image/tiff', tiff: 'image/tiff', dng: 'image/x-adobe-dng', heic: 'image/heic', heif: 'image/heif',
  avif: 'image/avif', jxl: 'image/jxl', svg: 'image/svg+xml', mp4: 'video/mp4', m4s: 'video/mp4',
  mov: 'video/quicktime', m4a: 'audio/mp4', avi: 'video/x-msvideo', wav: 'audio/wav', mp3: 'audio/mpeg',
  flac: 'audio/flac', pdf: 'application/pdf' };
export function mimeOf(b, file) {
  const s = (o, t) => b.length >= o + t.length && b.subarray(o, o + t.length).toString('latin1') === t;
  if (b[0] === 0xff && b[1] === 0xd8) return 'image/jpeg';
  if (s(0, '\x89PNG')) return 'image/png';
  if (s(0, 'GIF8')) return 'image/gif';
  if (s(0, 'RIFF') && s(8, 'WEBP')) return 'image/webp';
  if (s(0, 'RIFF') && s(8, 'WAVE')) return 'audio/wav';
  if (s(0, 'RIFF') && s(8, 'AVI ')) return 'video/x-msvideo';
  if (s(0, 'II*\0') || s(0, 'MM\0*')) return 'image/tiff';
  if (s(0, '%PDF')) return 'application/pdf';
  if (s(0, 'fLaC')) return 'audio/flac';
  if (s(0, 'ID3') || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0)) return 'audio/mpeg';
  if (s(4, 'ftyp')) {
    const brand = b.subarray(8, 12).toString('latin1');
    if (/^(heic|heix|hevc|mif1|msf1)$/.test(brand)) return 'image/heic';
    if (/^avi[fs]$/.test(brand)) return 'image/avif';
    if (brand === 'qt  ') return 'video/quicktime';
    if (/^M4A/.test(brand)) return 'audio/mp4';
    return 'video/mp4';
  }
  if (s(0, '<?xml') || s(0, '<svg')) return 'image/svg+xml';
  return EXT[String(file).replace(/^.*\./, '').toLowerCase()] || 'application/octet-stream';
}
