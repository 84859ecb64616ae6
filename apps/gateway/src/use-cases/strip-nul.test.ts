import { describe, expect, it } from 'vitest';
import { stripNulDeep } from './strip-nul.js';

describe('stripNulDeep', () => {
  it('removes U+0000 from strings, keys and nested values', () => {
    const value = { 'ti\u0000tle': 'a\u0000b', list: ['x', 'y\u0000', { deep: '\u0000z' }], n: 1, nothing: null };
    expect(stripNulDeep(value)).toEqual({ title: 'ab', list: ['x', 'y', { deep: 'z' }], n: 1, nothing: null });
  });

  it('returns a value without NUL as it is, not a copy', () => {
    const value = { title: 'fine', list: ['a', { deep: 'b' }], n: 1 };
    expect(stripNulDeep(value)).toBe(value);
    expect(stripNulDeep('plain')).toBe('plain');
  });
});
