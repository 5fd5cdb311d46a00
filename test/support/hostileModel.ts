/**
 * Models whose every string comes from a `text(slot)` function, so one structure can be rendered twice: with
 * plain words, and with hostile text in every slot. Built without validation (as a model that slipped past it,
 * or one a server returned), so only the escapers stand between the text and the generated code.
 */
import { buildEndpointModel, type EndpointInfo } from '../../src/backends/http/endpoints';
import type { ProviderDefinition, SchemaModel } from '../../src/core/model';
import { field } from './sampleModel';

export type Text = (slot: string) => string;

/** Sequences that end or escape a comment, a string, a template literal, a Markdown cell or an HTML comment. */
export const HOSTILE_SEQUENCES = [
  '\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\u000b', '\u000c', '\u0000', '\u001b', '\u007f',
  '*/', '/*', '//', '${', '`', "'", '"', '\\', '\\u000a', '%', '%E0%A4%A', '~1', '<!--', '-->', '</script>', '<img src=x>',
  '|', '](javascript:x)', '\u202e', '\u2066', '\ufeff', '\ud800', '{{', '}}', '#', '\t',
];

/** Plain text for a slot: a word, unique per slot, so collisions between names are the same in both renders. */
export const plain: Text = (slot) => `w_${slot.replace(/[^A-Za-z0-9]/g, '_')}`;

/** Every slot holds the sequence around a call, so text that escapes its context adds code. */
export function hostileText(seq: string): Text {
  return (slot) => `${slot}${seq}pwned(1);${seq}*/pwned(2)//${seq}`;
}

export type AuthVariant = 'api_key_header' | 'api_key_query' | 'bearer' | 'basic' | 'oauth2_token_url' | 'oauth2_issuer' | 'oauth2_code' | 'webhook' | 'none';
export const AUTH_VARIANTS: AuthVariant[] = ['api_key_header', 'api_key_query', 'bearer', 'basic', 'oauth2_token_url', 'oauth2_issuer', 'oauth2_code', 'webhook', 'none'];

function auth(t: Text, variant: AuthVariant): Pick<ProviderDefinition, 'authType' | 'auth'> {
  const webhook = {
    signatureHeader: t('signatureHeader'), algorithm: 'hmac-sha256' as const, encoding: 'hex' as const, prefix: t('signaturePrefix'),
    timestampHeader: t('timestampHeader'), toleranceSeconds: 300, signedPayload: 'timestamp.body' as const, eventHeader: t('eventHeader'),
  };
  const oauth = { scopes: [t('scope1'), t('scope2')], pkce: true, clientId: t('clientId'), audience: t('audience') };
  switch (variant) {
    case 'api_key_header':
    case 'api_key_query':
      return { authType: 'api_key', auth: { apiKey: { location: variant === 'api_key_query' ? 'query' : 'header', keyName: t('keyName'), keyPrefix: t('keyPrefix') }, webhook } };
    case 'bearer':
      return { authType: 'bearer', auth: { bearer: { headerName: t('bearerHeader'), prefix: t('bearerPrefix') } } };
    case 'basic':
      return { authType: 'basic', auth: { basic: {} } };
    case 'oauth2_token_url':
      return { authType: 'oauth2', auth: { oauth2: { ...oauth, tokenUrl: `https://${t('tokenHost')}/token`, clientAuthMethod: 'client_secret_post', grantTypes: ['client_credentials'] } } };
    case 'oauth2_issuer':
      return { authType: 'oauth2', auth: { oauth2: { ...oauth, issuer: `https://${t('issuer')}`, clientAuthMethod: 'client_secret_basic', grantTypes: ['client_credentials', 'authorization_code'] } } };
    case 'oauth2_code':
      return { authType: 'oauth2', auth: { oauth2: { ...oauth, authUrl: `https://${t('authHost')}/a`, tokenUrl: `https://${t('tokenHost')}/t`, clientAuthMethod: 'none', grantTypes: ['authorization_code'] } } };
    case 'webhook':
      return { authType: 'webhook', auth: { webhook } };
    case 'none':
      return { authType: 'none', auth: {} };
  }
}

export function hostileDefinition(t: Text, variant: AuthVariant): ProviderDefinition {
  return {
    id: t('id'), name: t('name'), category: 'test', version: t('version'), description: t('description'), docsUrl: `https://${t('docs')}`,
    ...auth(t, variant),
    baseUrl: `https://${t('host')}/${t('basePath')}`,
    variables: [{ name: t('variable'), label: t('label'), description: t('variableDescription'), default: t('default'), placeholder: t('placeholder'), required: true }],
    test: { endpoint: `/${t('testPath')}`, method: 'GET', expectedStatus: [200] },
    rateLimits: { requestsPerMinute: 60, burst: 5 },
  } as ProviderDefinition;
}

export function hostileEndpoints(t: Text): EndpointInfo[] {
  const def = t('def');
  return [
    {
      method: 'GET',
      path: `/${t('path')}/{${t('pathParam')}}`,
      operationId: t('operationId'),
      summary: t('summary'),
      tag: t('tag'),
      parameters: [
        { name: t('pathParam'), in: 'path', required: true, schema: { type: 'string', description: t('paramDescription'), enum: [t('enum1'), t('enum2')], default: t('paramDefault') } },
        { name: t('queryParam'), in: 'query', required: false, schema: { type: 'array', items: { type: 'string', format: t('format') } } },
        { name: t('headerParam'), in: 'header', required: false, schema: { const: t('const') } },
      ],
      responseSchema: { type: 'array', title: t('responseTitle'), items: { oneOf: [{ $ref: `#/$defs/${def}` }, { type: 'null' }] }, $defs: { [def]: { type: 'object', description: t('defDescription'), properties: { [t('inner')]: { type: 'string', enum: [t('innerEnum')] } }, additionalProperties: { type: 'integer' } } } },
    },
    {
      method: t('method'),
      path: `/${t('path2')}`,
      summary: t('summary2'),
      tag: t('tag'),
      parameters: [],
      requestSchema: {
        type: 'object', title: t('requestTitle'), description: t('requestDescription'), required: [t('prop')],
        properties: { [t('prop')]: { type: 'string', description: t('propDescription'), format: t('propFormat') }, [t('prop2')]: { $ref: `#/$defs/${t('missing')}` }, __proto__: { type: 'number', title: t('protoTitle') } },
      },
    },
  ];
}

export function hostileRestModel(t: Text, variant: AuthVariant): SchemaModel {
  return buildEndpointModel(hostileDefinition(t, variant), hostileEndpoints(t), {}, t('serverVersion'));
}

/** A relational model (what a database server returns) with every name, comment and default from `t`. */
export function hostileRelationalModel(t: Text): SchemaModel {
  const ns = t('schema');
  const status = t('enumName');
  const composite = t('composite');
  return {
    version: 2,
    source: { kind: 'postgres', database: t('database'), serverVersion: t('serverVersion') },
    namespaces: [
      {
        name: ns,
        enums: [{ name: status, values: [t('value1'), t('value2')], comment: t('enumComment') }],
        composites: [{ name: composite, comment: t('compositeComment'), fields: [field(t('compositeField'), 'string', { nullable: true, comment: t('compositeFieldComment'), default: t('compositeDefault') })] }],
        domains: [],
        functions: [
          {
            name: t('function'), comment: t('functionComment'), volatility: 'stable', procedure: false,
            args: [{ name: t('argName'), mode: 'in', nativeType: t('argType'), type: 'string', nullable: true, hasDefault: true }],
            returns: { kind: 'scalar', set: true, type: { nativeType: t('returnType'), type: 'string' } },
          },
        ],
        entities: [
          {
            name: t('table'), kind: 'table', comment: t('tableComment'),
            fields: [
              field(t('id'), 'bigint', { comment: t('idComment'), identity: 'always' }),
              field(t('status'), 'enum', { nativeType: status, enumRef: { namespace: ns, name: status }, default: t('statusDefault') }),
              field(t('address'), 'composite', { nullable: true, compositeRef: { namespace: ns, name: composite } }),
              field(t('inline'), 'string', { values: [t('inline1'), t('inline2')], nullable: true }),
              field(t('doc'), 'object', { fields: [field(t('nested'), 'string', { optional: true, comment: t('nestedComment') })] }),
            ],
            primaryKey: { name: t('pkey'), columns: [t('id')] },
            uniques: [{ name: t('unique'), columns: [t('status')] }],
            indexes: [],
            relations: [{ name: t('fkey'), columns: [t('id')], target: { namespace: ns, entity: t('view'), columns: [t('viewColumn')] }, onDelete: 'cascade', onUpdate: 'no_action' }],
            sql: { checks: [{ name: t('check'), expression: t('checkExpression') }] },
            details: { [t('detailKey')]: t('detailValue') },
          },
          { name: t('view'), kind: 'view', comment: t('viewComment'), fields: [field(t('viewColumn'), 'string', { nullable: true })], primaryKey: null, uniques: [], indexes: [], relations: [], sql: { updatable: true } },
        ],
      },
    ],
  } as unknown as SchemaModel;
}
