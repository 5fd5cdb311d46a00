import type { Entity, Field, NeutralType, ProviderDefinition, SchemaModel } from '../../core/model';
import { providerSource } from '../../core/model';
import type { IntrospectOptions } from '../../core/backend';

/**
 * Endpoints → SchemaModel, shared by both sources (an OpenAPI document or endpoints declared in the definition).
 * Each endpoint is an entity of kind `endpoint`; its parameters are its fields (so the tree can list them),
 * and its request/response JSON Schemas travel self-contained (named schemas under `$defs`).
 */
export interface EndpointInfo {
  method: string;
  path: string;
  operationId?: string;
  summary?: string;
  tag?: string;
  parameters: { name: string; in: string; required: boolean; schema?: unknown }[];
  requestSchema?: unknown;
  responseSchema?: unknown;
}

export function buildEndpointModel(def: ProviderDefinition, endpoints: EndpointInfo[], opts: IntrospectOptions, serverVersion?: string): SchemaModel {
  const byNamespace = new Map<string, Entity[]>();
  const taken = new Set<string>();
  for (const e of endpoints) {
    const ns = e.tag ?? 'default';
    if (opts.include?.length && !opts.include.includes(ns)) continue;
    if (opts.exclude?.includes(ns)) continue;
    let name = e.operationId ?? `${e.method.toUpperCase()} ${e.path}`;
    // Entity names must be unique in a namespace; operationIds usually are, synthesised names always are.
    for (let n = 2; taken.has(`${ns}\u0000${name}`); n++) name = `${e.operationId ?? e.path} (${n})`;
    taken.add(`${ns}\u0000${name}`);
    const list = byNamespace.get(ns) ?? [];
    list.push(endpointEntity(name, e));
    byNamespace.set(ns, list);
  }
  return {
    version: 2,
    source: { kind: 'http', database: def.id, serverVersion, provider: providerSource(def) },
    namespaces: [...byNamespace.entries()].map(([name, entities]) => ({ name, entities, enums: [], domains: [], composites: [], functions: [] })),
  };
}

function endpointEntity(name: string, e: EndpointInfo): Entity {
  return {
    name,
    kind: 'endpoint',
    fields: e.parameters.map(parameterField),
    primaryKey: null,
    uniques: [],
    indexes: [],
    relations: [],
    comment: e.summary,
    endpoint: {
      method: e.method.toUpperCase(),
      path: e.path,
      operationId: e.operationId,
      summary: e.summary,
      requestSchema: e.requestSchema,
      responseSchema: e.responseSchema,
      parameters: e.parameters,
    },
  };
}

function parameterField(p: EndpointInfo['parameters'][number]): Field {
  const schema = (p.schema ?? {}) as Record<string, unknown>;
  const isArray = schema.type === 'array';
  const element = (isArray ? schema.items : schema) as Record<string, unknown> | undefined;
  // A parameter's default and array-ness ride in the same facets a column's do (they read alike in the tree
  // and the docs, and 0.1.0 fingerprinted them so).
  return {
    name: p.name,
    nativeType: `${p.in} ${isArray ? `${String(element?.type ?? 'any')}[]` : String(schema.type ?? 'any')}`,
    type: neutralType(element ?? {}),
    nullable: !p.required,
    sql: { default: schema.default === undefined ? null : JSON.stringify(schema.default), identity: null, generated: null, arrayDims: isArray ? 1 : 0 },
  };
}

export function neutralType(schema: Record<string, unknown>): NeutralType {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (Array.isArray(schema.enum)) return 'enum';
  switch (type) {
    case 'string':
      return schema.format === 'uuid' ? 'uuid' : schema.format === 'date-time' ? 'timestamptz' : schema.format === 'date' ? 'date' : schema.format === 'binary' ? 'bytes' : 'string';
    case 'integer':
      return schema.format === 'int64' ? 'bigint' : 'integer';
    case 'number':
      return 'float';
    case 'boolean':
      return 'boolean';
    case 'array':
      return 'array';
    case 'object':
      return 'object';
    default:
      return 'unknown';
  }
}

/** Declared endpoints need no parser: they are already JSON Schemas in the definition. */
export function declaredEndpoints(def: ProviderDefinition): EndpointInfo[] {
  return (def.endpoints ?? []).map((e) => ({
    method: e.method,
    path: e.path,
    operationId: e.operationId,
    summary: e.summary,
    tag: e.tag,
    parameters: e.parameters.map((p) => ({ name: p.name, in: p.in, required: p.in === 'path' ? true : p.required, schema: p.schema })),
    requestSchema: e.requestSchema,
    responseSchema: e.responseSchema,
  }));
}
