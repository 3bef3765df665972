/**
 * PEM blocks exactly as Go's encoding/pem writes them (64-character base64 lines, no headers), and a strict
 * reader: one block of the expected type, nothing but whitespace around it, canonical base64.
 */

/** Encodes `data` as one PEM block of `type`. */
export function encodePem(type: string, data: Uint8Array): string {
  const b64 = Buffer.from(data).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${type}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${type}-----\n`;
}

/**
 * Decodes a text holding exactly one PEM block of `type`; throws an Error saying what is wrong (the caller
 * adds the file name).
 */
export function decodePem(type: string, text: string): Uint8Array {
  const match =
    /^\s*-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]*?)-----END ([A-Z0-9 ]+)-----\s*$/.exec(text);
  if (match === null) throw new Error('not a single PEM block (garbage or trailing data)');
  const [, begin, body, end] = match;
  if (begin !== end) throw new Error(`PEM block BEGIN ${begin} does not match END ${end}`);
  if (begin !== type) throw new Error(`PEM block type is "${begin}", expected "${type}"`);
  const b64 = body!.replace(/\r?\n/g, '');
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.toString('base64') !== b64) throw new Error('PEM body is not valid base64');
  return new Uint8Array(bytes);
}
