/**
 * The REST backend's surface for the editor's REST-only features (the provider wizard, OAuth2 sign-in, test
 * webhooks). Imported lazily by the editor: nothing here loads at activation.
 */
export { connectHttp, HttpSession, oauthManagerFor, resolveProfileProvider } from './driver';
export { secretFieldsFor, secretFromText, SECRET_FIELDS, type SecretField } from './auth';
export { environmentFor, makeHttpEnvironment, type HttpEnvironment } from './environment';
export { HttpOptions } from './options';
export { OAuthManager, type OAuthTarget, type SignInOptions } from './oauth/signIn';
export { startLoopbackRedirect, type RedirectWaiter } from './oauth/loopback';
export { formatDuration, tokenStatus, type OAuthTokens, type TokenStatus } from './oauth/tokens';
export { sendTestWebhook, signWebhook, verifyWebhook, type TestWebhookOptions, type TestWebhookResult } from './webhook';
