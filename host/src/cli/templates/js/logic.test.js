import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shout } from './logic.js';

test('shouts', () => {
  assert.equal(shout('hi'), 'HI!');
});
