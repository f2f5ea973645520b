/**
 * Workers Analytics Engine data points (the `ANALYTICS` binding, production
 * only; absent locally, where this is a no-op), summed across every isolate
 * and queried with SQL (README, "Dashboards"). The first index says what a
 * point is: `request` (route template, method, status, duration), `frame`
 * (a WebSocket frame a table received), `frame_error` (an error event a table
 * sent, by code), `mcp_tool` (a tool call, by tool and outcome, with its
 * duration), `narration` (provider, model, status, duration, tokens in and out).
 * Never personal data: no user ids, no text, no paths with ids.
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

/** One narration: which model, how it ended, how long, how many tokens (the AI cost dashboard). */
export function recordNarration(dataset: AnalyticsEngineDataset | undefined, point: { provider: string; model: string; status: string; durationMs: number; inputTokens: number; outputTokens: number }): void {
  dataset?.writeDataPoint({ indexes: ['narration'], blobs: [point.provider, point.model, point.status], doubles: [point.durationMs, point.inputTokens, point.outputTokens] });
}
