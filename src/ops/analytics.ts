/**
 * Workers Analytics Engine data points (the `ANALYTICS` binding, production
 * only; absent locally, where this is a no-op), summed across every isolate
 * and queried with SQL (README, "Dashboards"). The first index says what a
 * point is: `request` (route template, method, status, duration), `frame`
 * (a WebSocket frame a table received), `frame_error` (an error event a table
 * sent, by code), `mcp_tool` (a tool call, by tool and outcome, with its
 * duration). Never personal data: no user ids, no text, no paths with ids.
 */
export interface RequestPoint { route: string; method: string; status: number; durationMs: number }

export function recordRequest(dataset: AnalyticsEngineDataset | undefined, point: RequestPoint): void {
  dataset?.writeDataPoint({ indexes: ['request'], blobs: [point.route, point.method, String(point.status)], doubles: [point.durationMs] });
}

export type EventKind = 'frame' | 'frame_error' | 'mcp_tool';

/** One event: what (`name`), how it ended (`outcome`), how long it took. */
export function recordEvent(dataset: AnalyticsEngineDataset | undefined, kind: EventKind, name: string, outcome = '', durationMs = 0): void {
  dataset?.writeDataPoint({ indexes: [kind], blobs: [name, outcome], doubles: [durationMs] });
}
