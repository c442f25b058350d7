// class-transformer keeps its decorators' metadata in this module; its package declares no types
// for the path, so they are named here (read by response.ts to derive a response class's fast check).
declare module 'class-transformer/cjs/storage' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
  export const defaultMetadataStorage: MetadataStorage;
}
