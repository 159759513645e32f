/**
 * The name an uploaded file is kept and offered for download under. The sender chooses it, so it is cleaned:
 * no control characters (a NUL cannot even be stored), no directories, at most 200 characters, and an extension
 * that agrees with the file's accepted type — "invoice.exe" sent as image/jpeg is kept as "invoice.exe.jpg", so
 * whoever downloads it never receives a program under the name of a photo.
 */
const EXTENSIONS: Record<string, readonly string[]> = {
  'image/jpeg': ['.jpg', '.jpeg', '.jfif'],
  'image/png': ['.png'],
  'image/webp': ['.webp'],
  'image/heic': ['.heic', '.heif'],
  'application/pdf': ['.pdf'],
};

export function safeFileName(raw: string | undefined, contentType: string): string {
  const cleaned = (raw ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    // A lone surrogate (possible in a JS string, not in UTF-8) would break encodeURIComponent on download.
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .split(/[\\/]/).pop()!
    .trim();
  const extensions = EXTENSIONS[contentType];
  let name = cleaned || 'file';
  if (extensions && !extensions.some((ext) => name.toLowerCase().endsWith(ext))) name = `${name}${extensions[0]}`;
  if (name.length <= 200) return name;
  // Too long: shorten the stem by whole characters (never half a surrogate pair), keep the extension.
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  let stem = '';
  for (const ch of name.slice(0, name.length - ext.length)) {
    if (stem.length + ch.length + ext.length > 200) break;
    stem += ch;
  }
  return stem + ext;
}
