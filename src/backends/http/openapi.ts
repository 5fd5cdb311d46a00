import * as path from 'node:path';
import { PlugboardError } from '../../core/errors';
import { MAX_NESTING, tooDeep } from '../../core/model/depth';
import type { EndpointInfo } from './endpoints';

/**
 * OpenAPI 3 documents through swagger-parser, which validates them against the specification and resolves
 * every `$ref` (files, URLs, internal pointers). Dereferencing keeps object identity, so a schema that came
 * from `components/schemas/Pet` is still recognisable and is emitted as `{ $ref: '#/$defs/Pet' }` with the
 * definition alongside: self-contained, serialisable even when schemas are recursive, and named for codegen.
 */
type Obj = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** Keys that document rather than describe a shape: dropped to keep the model (and its fingerprint) lean. */
const DROP = new Set(['example', 'examples', 'xml', 'externalDocs']);
/** Keywords whose keys are names chosen by the author, not keywords. */
const NAME_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

export interface OpenApiDocument {
  openapi: string;
  info: { title?: string; version?: string };
  paths?: Obj;
  components?: { schemas?: Obj };
}

/** `source`: a URL, an absolute path, or a path relative to `baseDir` (the definition file's folder). */
export async function loadOpenApi(source: string | object, baseDir?: string): Promise<OpenApiDocument> {
  const where = typeof source === 'string' ? (/^https?:\/\//i.test(source) || !baseDir ? source : path.resolve(baseDir, source)) : structuredClone(source);
  let api: OpenApiDocument;
  try {
    // Loaded on first use: the parser and its validators are large, and most sessions never read a document.
    const SwaggerParser = (await import('@apidevtools/swagger-parser')).default;
    api = (await SwaggerParser.validate(where as string, { resolve: { http: { timeout: 15_000 } } })) as unknown as OpenApiDocument;
  } catch (err) {
    const what = typeof source === 'string' ? source : 'the OpenAPI document';
    throw new PlugboardError('SCHEMA_ERROR', `${what} is not a valid OpenAPI document: ${(err as Error).message}`, {
      hint: 'Check the file (or URL) named by "openapi" in the provider definition.',
      cause: err,
    });
  }
  if (typeof api.openapi !== 'string' || !api.openapi.startsWith('3.')) {
    throw new PlugboardError('SCHEMA_ERROR', 'Only OpenAPI 3.x documents are supported (this one is Swagger 2.0).', { hint: 'Convert it to OpenAPI 3 first.' });
  }
  return api;
}

/**
 * The endpoints of a document, each with self-contained JSON Schemas. A schema nested deeper than codegen can
 * walk is SCHEMA_ERROR naming its operation (a document, like a definition, may come from anywhere).
 */
export function endpointsFromOpenApi(api: OpenApiDocument): EndpointInfo[] {
  let endpoints: EndpointInfo[];
  try {
    endpoints = exportEndpoints(api);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new PlugboardError('SCHEMA_ERROR', `The OpenAPI document nests a schema too deeply to read.`, { hint: 'Use named schemas ($ref) instead of deep inline ones.' });
  }
  for (const e of endpoints) {
    const deep = tooDeep({ parameters: e.parameters, requestSchema: e.requestSchema, responseSchema: e.responseSchema });
    if (deep) throw new PlugboardError('SCHEMA_ERROR', `${e.method} ${e.path}: ${String(deep[0])} is nested more than ${MAX_NESTING} levels deep.`, { hint: 'Use named schemas ($ref) instead of deep inline ones.' });
  }
  return endpoints;
}

function exportEndpoints(api: OpenApiDocument): EndpointInfo[] {
  const exporter = new SchemaExporter(api.components?.schemas ?? {});
  const out: EndpointInfo[] = [];
  for (const [route, item] of Object.entries((api.paths ?? {}) as Record<string, Obj>)) {
    const shared = (item.parameters as Obj[] | undefined) ?? [];
    for (const method of METHODS) {
      const op = item[method] as Obj | undefined;
      if (!op) continue;
      // Operation parameters override path-level ones with the same name and location (OpenAPI 3 §4.8.10).
      const params = new Map<string, Obj>();
      for (const p of [...shared, ...((op.parameters as Obj[] | undefined) ?? [])]) params.set(`${String(p.in)}:${String(p.name)}`, p);
      out.push({
        method: method.toUpperCase(),
        path: route,
        operationId: typeof op.operationId === 'string' ? op.operationId : undefined,
        summary: typeof op.summary === 'string' ? op.summary : undefined,
        tag: Array.isArray(op.tags) && typeof op.tags[0] === 'string' ? op.tags[0] : undefined,
        parameters: [...params.values()].map((p) => ({
          name: String(p.name),
          in: String(p.in),
          required: p.in === 'path' || p.required === true,
          schema: p.schema === undefined ? undefined : exporter.export(p.schema),
        })),
        requestSchema: jsonSchemaOf((op.requestBody as Obj | undefined)?.content, exporter),
        responseSchema: successSchema(op.responses as Obj | undefined, exporter),
      });
    }
  }
  return out;
}

function jsonSchemaOf(content: unknown, exporter: SchemaExporter): unknown {
  if (!content || typeof content !== 'object') return undefined;
  const entries = Object.entries(content as Record<string, Obj>);
  const json = entries.find(([type]) => /^application\/([\w.+-]*\+)?json\b/i.test(type)) ?? entries.find(([type]) => type === '*/*');
  return json?.[1]?.schema === undefined ? undefined : exporter.export(json[1].schema);
}

/** The main success response: 200, then 201, other 2xx, 2XX, then `default`. */
function successSchema(responses: Obj | undefined, exporter: SchemaExporter): unknown {
  if (!responses) return undefined;
  const codes = Object.keys(responses);
  const pick = ['200', '201', ...codes.filter((c) => /^2\d\d$/.test(c)).sort(), '2XX', 'default'].find((c) => c in responses);
  return pick ? jsonSchemaOf((responses[pick] as Obj).content, exporter) : undefined;
}

class SchemaExporter {
  private readonly names = new Map<object, string>();

  constructor(components: Obj) {
    for (const [name, schema] of Object.entries(components)) if (schema && typeof schema === 'object') this.names.set(schema, name);
  }

  export(schema: unknown): unknown {
    const defs: Obj = {};
    const out = this.convert(schema, defs, new Set());
    if (!Object.keys(defs).length || !out || typeof out !== 'object') return out;
    return { ...(out as Obj), $defs: defs };
  }

  private convert(node: unknown, defs: Obj, stack: Set<object>): unknown {
    if (!node || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map((n) => this.convert(n, defs, stack));
    const name = this.names.get(node);
    if (name) {
      if (!(name in defs)) {
        defs[name] = true; // placeholder first: a recursive schema refers to itself while being converted
        defs[name] = this.children(node, defs, new Set([node]));
      }
      return { $ref: `#/$defs/${name}` };
    }
    // An unnamed cycle (a $ref into paths/…) cannot be expressed without a name; it becomes "any".
    if (stack.has(node)) return {};
    return this.children(node, defs, new Set([...stack, node]));
  }

  private children(node: object, defs: Obj, stack: Set<object>): Obj {
    const out: Obj = {};
    for (const [k, v] of Object.entries(node)) if (!DROP.has(k)) out[k] = NAME_MAPS.has(k) ? this.props(v as Obj, defs, stack) : this.convert(v, defs, stack);
    return out;
  }

  /** Property names are data, not keywords: `example` as a property must survive the DROP filter. */
  private props(props: Obj, defs: Obj, stack: Set<object>): Obj {
    const out: Obj = {};
    for (const [k, v] of Object.entries(props ?? {})) out[k] = this.convert(v, defs, stack);
    return out;
  }
}
