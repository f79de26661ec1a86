/** The engines `hunt` can run over explicit paths. */
export const HUNT_KINDS = ['logs', 'files', 'events'] as const;
export type HuntKind = (typeof HUNT_KINDS)[number];
