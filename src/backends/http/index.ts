/** The HTTP adapter's public surface for the editor and the CLI (the registry loads ./adapter lazily). */
export { createHttpAdapter, httpAdapter, HttpSession, oauthManagerFor, resolveProfileProvider } from './adapter';
export { secretFieldsFor, SECRET_FIELDS, type SecretField } from './auth';
export { httpEnvironment, makeHttpEnvironment, setHttpEnvironment, type HttpEnvironment, type ProviderLookup, type ProviderLookupResult } from './environment';
export { OAuthManager, type OAuthTarget, type SignInOptions } from './oauth/signIn';
export { startLoopbackRedirect, type RedirectWaiter } from './oauth/loopback';
export { formatDuration, tokenStatus, type OAuthTokens, type TokenStatus } from './oauth/tokens';
export { sendTestWebhook, signWebhook, verifyWebhook, type TestWebhookOptions, type TestWebhookResult } from './webhook';
