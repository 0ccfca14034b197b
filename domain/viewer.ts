/** Kinds of caller, as Compass's `ViewerType` names them. */
export const ViewerType = {
  RUNTIME: 'RUNTIME',
  APPLICATION: 'APPLICATION',
  INTEGRATION_SYSTEM: 'INTEGRATION_SYSTEM',
  USER: 'USER',
} as const;
export type ViewerType = (typeof ViewerType)[keyof typeof ViewerType];

/** Who is calling: answered by the `viewer` query. */
export interface Viewer {
  readonly id: string;
  readonly type: ViewerType;
}
