// SNAP's flat error body, under the name the Pivot SNAP emulator entry has always given it.
export { snapErrorBody as pivotSnapErrorBody } from '@kunci/snap/emulator';
