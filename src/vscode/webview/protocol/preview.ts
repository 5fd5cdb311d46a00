import * as z from 'zod/mini';
import { CspViolation, ErrorView, Ready, whole } from './common';

/** The Preview Data panel's messages, both directions. The extension owns the state; the webview draws it. */

export const PreviewColumn = z.object({
  name: z.string(),
  /** The field's type from the schema model (`jsonb`, `int8`), when the model knows the column. */
  type: z.optional(z.string()),
});
export type PreviewColumn = z.infer<typeof PreviewColumn>;

/** A string cut short before it was sent: where it is and how long the whole value is. */
export const ClippedCell = z.object({ row: whole(), column: whole(), length: whole() });

export const PreviewPageView = z.object({
  /** 0-based page number. */
  index: whole(),
  /** Rows skipped before this page. */
  offset: whole(),
  pageSize: whole(1),
  columns: z.array(PreviewColumn),
  /** JSON cells, as `toPreviewCell` made them. */
  rows: z.array(z.array(z.json())),
  hasMore: z.boolean(),
  clipped: z.array(ClippedCell),
  /** Served from the query cache rather than the server. */
  fromCache: z.boolean(),
});
export type PreviewPageView = z.infer<typeof PreviewPageView>;

export const PreviewState = z.object({
  type: z.literal('state'),
  /** "customers", and where it lives: "public · Demo (embedded PostgreSQL)". */
  title: z.string(),
  subtitle: z.string(),
  /** A page is on its way; the previous page (if any) stays on screen meanwhile. */
  loading: z.boolean(),
  page: z.optional(PreviewPageView),
  error: z.optional(ErrorView),
});
export type PreviewState = z.infer<typeof PreviewState>;

export const PreviewToWebview = PreviewState;
export type PreviewToWebview = z.infer<typeof PreviewToWebview>;

export const PreviewFromWebview = z.discriminatedUnion('type', [
  Ready,
  /** Show page `index`; `fresh` skips the cache (Reload, Retry). */
  z.object({ type: z.literal('load'), index: whole().check(z.lte(1_000_000)), fresh: z.boolean() }),
  /** Stop the page being loaded. */
  z.object({ type: z.literal('cancel') }),
  CspViolation,
]);
export type PreviewFromWebview = z.infer<typeof PreviewFromWebview>;
