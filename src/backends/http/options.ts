import { lazySchema } from '../../core/lazy';
import { z } from '../../core/zod';

/** A REST profile: which provider definition it uses and the values of the definition's {{variables}}. */
export const HttpOptions = lazySchema(() => z
  .object({
    provider: z.string().min(1),
    variables: z.record(z.string(), z.string()).optional(),
    /** The OAuth2 account this connection signs in as (several accounts may share one provider). */
    accountId: z.string().optional(),
  })
  .strict());
export type HttpOptions = z.infer<typeof HttpOptions>;
