// @kunci/cli is the `kunci` bin (dist/cjs/bin.js, described in docs/cli.md); as a module it exports
// nothing. Its commands' code is internal and may change with any release.
export {};
