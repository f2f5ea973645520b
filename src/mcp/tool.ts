/**
 * One way to declare a tool: a zod input schema (validated by the SDK, which
 * answers a wrong argument with the field that is wrong), an output schema
 * for `structuredContent`, a description an assistant can act on, and a
 * handler that calls one service with the caller's scope.
 */
import type { McpServer, ToolAnnotations } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { Scope } from '../services/scope';
import { runTool } from './result';

export interface ToolSpec<I extends z.ZodObject, O extends z.ZodObject> {
  title: string;
  description: string;
  input: I;
  output: O;
  annotations?: ToolAnnotations;
  /** One line for the text content, before the JSON. */
  summary?: (out: z.infer<O>) => string;
  run: (args: z.infer<I>) => Promise<z.infer<O>>;
}

/** Registers `spec` on `server` for the caller in `scope`. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(server: McpServer, scope: Scope, name: string, spec: ToolSpec<I, O>): void {
  server.registerTool(name, { title: spec.title, description: spec.description, inputSchema: spec.input, outputSchema: spec.output, annotations: spec.annotations },
    ((args: z.infer<I>) => runTool(scope, name, () => spec.run(args) as Promise<Record<string, unknown>>, spec.summary as ((out: Record<string, unknown>) => string) | undefined)) as never);
}
