import type { SchemaModel } from '../model';
import type { TemplateSet } from './templates';

export const INT8_AS = ['string', 'number', 'bigint'] as const;
export const NUMERIC_AS = ['string', 'number'] as const;
export const DATE_AS = ['Date', 'string'] as const;

export interface CodegenOptions {
  /** Written into headers; never a secret. */
  profileName: string;
  targets: string[];
  /** How int8 (bigint) columns are typed; pg returns them as strings unless a type parser says otherwise. */
  int8As?: (typeof INT8_AS)[number];
  numericAs?: (typeof NUMERIC_AS)[number];
  dateAs?: (typeof DATE_AS)[number];
  /** A folder of the user's own `<template>.hbs` files overriding Plugboard's. */
  templatesDir?: string;
}
export type ResolvedCodegenOptions = Required<Omit<CodegenOptions, 'templatesDir'>> & { templatesDir?: string };

export interface GeneratedFile {
  /** Relative to the output folder, with forward slashes. */
  path: string;
  content: string;
  target: string;
}

export interface TargetContext {
  model: SchemaModel;
  fingerprint: string;
  options: ResolvedCodegenOptions;
  templates: TemplateSet;
  /** The header comment for a file of this target. */
  header(target: string): string;
}

export interface CodegenTarget {
  id: string;
  label: string;
  description: string;
  /** Source kinds this target applies to (`SchemaModel.source.kind`), or '*' for any. */
  kinds: readonly string[] | '*';
  /** Templates it renders, loaded before generate() runs. */
  templates: readonly string[];
  /** Targets whose files this one imports; they are generated too. */
  requires?: readonly string[];
  generate(ctx: TargetContext): GeneratedFile[];
}
