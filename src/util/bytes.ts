/** The same bytes as a Buffer, without a copy for a Buffer or a view (an ArrayBuffer is wrapped, not copied either). */
export function toBuffer(value: Uint8Array | ArrayBuffer): Buffer {
  if (Buffer.isBuffer(value)) return value;
  return value instanceof ArrayBuffer ? Buffer.from(value) : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
