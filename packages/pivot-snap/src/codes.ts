import type { TokenFlow } from '@kunci/core/provider';

export const PIVOT_SNAP = 'pivot-snap';

/** Both flows: `b2b` the client's token, `b2b2c` a customer's. */
export type PivotSnapFlow = TokenFlow;
