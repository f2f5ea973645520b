/**
 * Workers Analytics Engine data points (the `ANALYTICS` binding, production
 * only; absent locally, where this is a no-op). One point per request —
 * route template, method, status, duration — summed across every isolate and
 * queried with SQL (README, "Dashboards"). Never personal data: no user ids,
 * no paths with ids (the route template instead).
 */
export interface RequestPoint { route: string; method: string; status: number; durationMs: number }

export function recordRequest(dataset: AnalyticsEngineDataset | undefined, point: RequestPoint): void {
  dataset?.writeDataPoint({ indexes: ['request'], blobs: [point.route, point.method, String(point.status)], doubles: [point.durationMs] });
}
