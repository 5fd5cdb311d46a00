import type { CodegenTarget } from '../types';
import { pgCrudTarget } from './pgCrud';
import { restClientTarget } from './restClient';
import { tsTypesTarget } from './tsTypes';
import { webhookVerifyTarget } from './webhookVerify';

/** Every codegen target, in the order they are offered. Later targets register here too. */
export const TARGETS: readonly CodegenTarget[] = [tsTypesTarget, pgCrudTarget, restClientTarget, webhookVerifyTarget];
