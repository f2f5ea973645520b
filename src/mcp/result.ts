/**
 * How a tool call becomes an MCP result: the service's answer as
 * `structuredContent` (and as JSON text for clients that only read text), or,
 * for a `ProblemError`, a tool error (`isError: true`) with a readable message
 * and the fields that are wrong — a tool error never breaks the client's
 * connection. Every call is logged with the tool, its outcome and duration
 * and written to Analytics Engine (`mcp_tool` points, README "Dashboards").
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import { logger } from '../lib/logger';
import { ProblemError } from '../lib/problem';
import { recordEvent } from '../ops/analytics';
import type { Scope } from '../services/scope';

/** Text of a problem an assistant can act on: what is wrong, and where. */
export function describeProblem(err: ProblemError): string {
  const fields = (err.problem.errors ?? []).map((e) => `${e.path.replace(/^(body|query|params|arguments)\.?/, '') || 'input'}: ${e.message}`);
  return `${err.problem.title} (${err.status}): ${err.problem.detail}${fields.length ? ` — ${fields.join('; ')}` : ''}`;
}

export async function runTool<T extends Record<string, unknown>>(scope: Scope, tool: string, work: () => Promise<T>, summary?: (out: T) => string): Promise<CallToolResult> {
  const started = Date.now();
  const log = (status: string) => {
    const durationMs = Date.now() - started;
    logger.info('mcp tool', { tool, status, durationMs, requestId: scope.requestId, userId: scope.principal?.userId ?? null });
    recordEvent(scope.env.ANALYTICS, 'mcp_tool', tool, status, durationMs);
  };
  try {
    const out = await work();
    log('ok');
    return { content: [{ type: 'text', text: summary ? `${summary(out)}\n\n${JSON.stringify(out)}` : JSON.stringify(out) }], structuredContent: out };
  } catch (err) {
    if (!(err instanceof ProblemError)) {
      log('failed');
      throw err;
    }
    log(err.code);
    return { isError: true, content: [{ type: 'text', text: describeProblem(err) }] };
  }
}
