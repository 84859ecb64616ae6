import { describe, expect, it } from 'vitest';
import { scopeAllowedTools } from './scope-tools.js';

describe('scopeAllowedTools', () => {
  it('confines path tools to the working directory and leaves the others', () => {
    expect(scopeAllowedTools(['Read', 'Write', 'Edit', 'Bash', 'Bash(npm test)', 'WebFetch'], '/work/ws/wt-0/')).toEqual([
      'Read(//work/ws/wt-0/**)',
      'Write(//work/ws/wt-0/**)',
      'Edit(//work/ws/wt-0/**)',
      'Bash',
      'Bash(npm test)',
      'WebFetch',
    ]);
  });
});
