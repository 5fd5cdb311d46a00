import type { CodegenTarget } from '../types';
import { pgCrudTarget } from './pgCrud';
import { tsTypesTarget } from './tsTypes';

/** Every codegen target, in the order they are offered. Later targets register here too. */
export const TARGETS: readonly CodegenTarget[] = [tsTypesTarget, pgCrudTarget];
