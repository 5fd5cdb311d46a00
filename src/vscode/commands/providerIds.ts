import type * as HttpApi from '../../backends/http/api';
import type { HttpEnvironment, OAuthManager } from '../../backends/http/api';
import type { ProviderRegistry } from '../../core/registry';
import type { UriRedirects } from '../uriRedirect';

/** Command ids of the provider commands (package.json contributes the same list), and what they share. */
export const ProviderCommands = {
  discoverProviders: 'plugboard.discoverProviders',
  importProvider: 'plugboard.importProvider',
  exportProvider: 'plugboard.exportProvider',
  addRestConnection: 'plugboard.addRestConnection',
  signIn: 'plugboard.signIn',
  signOut: 'plugboard.signOut',
  sendTestWebhook: 'plugboard.sendTestWebhook',
} as const;

export interface ProviderServices {
  registry: ProviderRegistry;
  /** Resolves once the first load of the provider folders has finished. */
  ready: Promise<void>;
  redirects: UriRedirects;
  /** Reads the provider folders again, then reconnects REST connections and refreshes the tree. */
  reload(): Promise<void>;
  /** The REST backend (its HTTP client, OAuth2 and webhooks), loaded on first use rather than at activation. */
  rest(): Promise<RestServices>;
}

export interface RestServices {
  api: typeof HttpApi;
  env: HttpEnvironment;
  oauth: OAuthManager;
}
