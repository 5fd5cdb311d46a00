import type { ValueMapping } from '../backend';
import type { SchemaModel } from '../model';
import type { Slicer } from '../slices';
import type { HeaderStyle } from './header';
import type { LoadedOverrides } from './overrides/file';
import type { TemplateSet } from './templates';

/** User overrides of the backend's value mapping (for a driver set up with its own type parsers). */
export const INT8_AS = ['string', 'number', 'bigint'] as const;
export const NUMERIC_AS = ['string', 'number'] as const;
export const DATE_AS = ['Date', 'string'] as const;
export interface MappingOverrides {
  int8As?: (typeof INT8_AS)[number];
  numericAs?: (typeof NUMERIC_AS)[number];
  dateAs?: (typeof DATE_AS)[number];
}

export interface CodegenOptions extends MappingOverrides {
  /** Written into headers; never a secret. */
  profileName: string;
  targets: string[];
  /** What the backend's driver returns for each type (BackendModule.valueMapping). */
  mapping: ValueMapping;
  /** A folder of the user's own `<template>.hbs` files overriding Plugboard's. */
  templatesDir?: string;
  /** The user's overrides file (`readOverrides`): names, types and nullability generated code should use. */
  overrides?: LoadedOverrides;
  /**
   * Split a namespace's files into parts under a folder, with an index file in their place, once it has more
   * entities than this (0: never; absent: DEFAULT_SPLIT_THRESHOLD). See split.ts.
   */
  splitThreshold?: number;
  /**
   * On the extension host: the fingerprint, the snapshot and each file are worked out in this slicer's slices,
   * yielding to the event loop between them, so a 5,000-table schema does not freeze the editor. The CLI
   * leaves it out (it has nothing else to do meanwhile).
   */
  slicer?: Slicer;
}

export interface ResolvedCodegenOptions {
  profileName: string;
  targets: string[];
  /** The backend's mapping with the user's overrides applied. */
  mapping: ValueMapping;
  templatesDir?: string;
  /** 0: never split (CodegenOptions.splitThreshold). */
  splitThreshold: number;
}

export interface GeneratedFile {
  /** Relative to the output folder, with forward slashes. */
  path: string;
  content: string;
  target: string;
}

export interface TargetContext {
  /**
   * The schema with the user's overrides applied (skipped entities gone, `nullable` as overridden); names
   * and type overrides are read through `propertyName`, `entityCodeName` and `fieldCode` (overrides/resolve).
   */
  model: SchemaModel;
  fingerprint: string;
  options: ResolvedCodegenOptions;
  templates: TemplateSet;
  /** The header comment for a file of this target, in the file's comment syntax (TypeScript by default). */
  header(target: string, style?: HeaderStyle, partOf?: string): string;
}

/** What a model offers a target: tables and views, document collections, REST endpoints. */
export type ModelFeature = 'relational' | 'documents' | 'endpoints';

export interface CodegenTarget {
  id: string;
  /** The model must have one of these (any, when absent); otherwise the target has nothing to generate. */
  needs?: readonly ModelFeature[];
  /** Templates it renders, loaded before generate() runs. */
  templates: readonly string[];
  /** The files, one at a time: generation may yield to the event loop between two of them (a generator renders lazily). */
  generate(ctx: TargetContext): Iterable<GeneratedFile>;
}
