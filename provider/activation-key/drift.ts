/**
 * How a drifted field is shown: one formatting for every place that reports drift (the
 * `qualys-keys drift` report and the `pulumi-qualys/testing` refresh steps), so a user reads the
 * same text whichever tool found it.
 */

/** One drifted field: its declared value and the one Qualys holds (`undefined`: unset). */
export interface FieldDrift {
  field: string;
  declared: unknown;
  actual: unknown;
}

/** A value as every drift output shows it: JSON, or `(unset)`. */
export function formatDriftValue(value: unknown): string {
  return value === undefined ? "(unset)" : JSON.stringify(value);
}

/** One drifted field on one line, for text output: `ownerId: declared 364812443, actual 999`. */
export function describeFieldDrift(drift: FieldDrift): string {
  return `${drift.field}: declared ${formatDriftValue(drift.declared)}, actual ${formatDriftValue(drift.actual)}`;
}
