// Pool tags as ULONGs: the four characters little-endian, so that the tag reads as written
// in a pool dump (!poolused shows 'Strg' for poolTag('Strg')); the C source would spell
// it as the multi-character constant 'grtS'.

export function poolTag(text: string): number {
  let v = 0;
  for (let i = 0; i < 4; i++) v |= (text.charCodeAt(i) & 0xff) << (8 * i);
  return v >>> 0;
}
