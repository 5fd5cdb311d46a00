import type { TargetOffer } from '../../backend';

/**
 * The targets core offers every backend: they read the neutral model, through the backend's value mapping.
 * Backends list them among their own offers (BackendModule.targets), as defaults where they fit:
 * `{ ...TS_TYPES, default: true }`.
 */
export const TS_TYPES: TargetOffer = {
  id: 'ts-types',
  label: 'TypeScript types',
  description: 'Row / Insert / Update types per table or collection, enums as string unions',
  load: async () => (await import('./tsTypes')).tsTypesTarget,
};

export const DOCS_MARKDOWN: TargetOffer = {
  id: 'docs-markdown',
  label: 'Markdown reference',
  description: 'A Markdown page per namespace: fields, types, keys, relations, enums, endpoints',
  load: async () => (await import('./docsMarkdown')).docsMarkdownTarget,
};

export const ZOD: TargetOffer = {
  id: 'zod',
  label: 'zod schemas',
  description: 'A zod schema per Row / Insert / Update and enum, agreeing with the TypeScript types (needs zod 3.25+ or 4)',
  // Enum schemas are built from ts-types' value arrays.
  requires: ['ts-types'],
  load: async () => (await import('./zodSchemas')).zodTarget,
};
