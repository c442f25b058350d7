// jest's globalSetup: writes the docs' ts blocks under .doc-blocks/ (scripts/doc-blocks.cjs) before
// any test file runs, as `npm run typecheck` does, so that `npx jest` alone (a fresh clone, a markdown
// file just edited) reads the blocks of the markdown as it is. Writing rewrites only what changed.
'use strict';
const { writeModules } = require('./doc-blocks.cjs');

module.exports = function writeDocBlocks() {
  writeModules();
};
