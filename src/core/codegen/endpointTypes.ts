import type { Endpoint, Entity, SchemaModel } from '../model';
import { JsonSchemaTs } from './jsonSchemaTs';
import { camelCase, docText, NameAllocator, pascalCase, propertyKey } from './naming';

/**
 * The TypeScript of a REST model's operations: named component schemas as shared declarations, and per
 * operation an `…Args` type (`{ path, query, headers, body }`) and a `…Response` type. ts-types writes these
 * on their own; rest-client writes them above the client class that uses them.
 */
export interface OperationTypes {
  methodName: string;
  httpMethod: string;
  path: string;
  namespace: string;
  summary: string;
  argsName: string;
  argsType: string;
  argsOptional: boolean;
  responseName: string;
  responseType: string;
  /** The operation as described (its JSON Schemas), for targets that render it another way (zod). */
  endpoint: Endpoint;
}

export class EndpointTypes {
  readonly schemas: JsonSchemaTs;
  private readonly endpoints: { ns: string; e: Entity }[];

  /** Collects the named schemas first, so their names win over anything allocated later. */
  constructor(model: SchemaModel, private readonly types: NameAllocator) {
    this.schemas = new JsonSchemaTs(types);
    this.endpoints = model.namespaces.flatMap((ns) => ns.entities.filter((e) => e.kind === 'endpoint' && e.endpoint).map((e) => ({ ns: ns.name, e })));
    for (const { e } of this.endpoints) {
      this.schemas.collect(e.endpoint!.requestSchema);
      this.schemas.collect(e.endpoint!.responseSchema);
      e.endpoint!.parameters.forEach((p) => this.schemas.collect(p.schema));
    }
  }

  operations(methods = new NameAllocator()): OperationTypes[] {
    return this.endpoints.map(({ ns, e }) => operationTypes(ns, e, this.types, methods, this.schemas));
  }

  declarations() {
    return this.schemas.declarations();
  }
}

function operationTypes(ns: string, e: Entity, types: NameAllocator, methods: NameAllocator, schemas: JsonSchemaTs): OperationTypes {
  const ep = e.endpoint!;
  const base = ep.operationId ?? `${ep.method.toLowerCase()} ${ep.path.replace(/\{([^}]+)\}/g, 'by $1')}`;
  const typeBase = types.allocate(pascalCase(base), ['Args', 'Response']);
  const groups = ['path', 'query', 'header'].map((where) => {
    const params = ep.parameters.filter((p) => p.in === where);
    if (!params.length) return undefined;
    const fields = params.map((p) => `    ${propertyKey(p.name)}${p.required ? '' : '?'}: ${schemas.typeOf(p.schema, '    ')};`);
    const required = params.some((p) => p.required);
    return { key: where === 'header' ? 'headers' : where, required, text: `{\n${fields.join('\n')}\n  }` };
  });
  const parts = groups.filter((g): g is NonNullable<typeof g> => !!g);
  const lines = parts.map((g) => `  ${g.key}${g.required ? '' : '?'}: ${g.text};`);
  if (ep.requestSchema !== undefined) lines.push(`  body: ${schemas.typeOf(ep.requestSchema, '  ')};`);
  const argsRequired = ep.requestSchema !== undefined || parts.some((g) => g.required);
  return {
    methodName: methods.allocate(camelCase(base)),
    httpMethod: ep.method.toUpperCase(),
    path: ep.path,
    namespace: ns,
    summary: docText([ep.summary, `${ep.method.toUpperCase()} ${ep.path}`].filter(Boolean).join(' — ')),
    argsName: `${typeBase}Args`,
    argsType: lines.length ? `{\n${lines.join('\n')}\n}` : 'Record<string, never>',
    argsOptional: !argsRequired,
    responseName: `${typeBase}Response`,
    responseType: ep.responseSchema === undefined ? 'unknown' : schemas.typeOf(ep.responseSchema, ''),
    endpoint: ep,
  };
}
