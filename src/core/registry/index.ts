export * from './registry';
export * from './templates';
export * from './resolve';
export * from './describe';
