export * from './schema';
export * from './profile';
export * from './health';
export * from './provider';
export * from './providerParse';
