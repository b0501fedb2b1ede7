// Configuration: one validated Config from modelmart.yaml, the environment and command flags.
export { configSchema, routeSchema, type Config, type ConfigInput, type ProviderConfig, type RouteConfig } from './config-schema.js';
export { organisationProfileSchema, type OrganisationProfile } from './config-schema.js';
export { loadConfig, ConfigError, type ConfigOverrides, type LoadConfigOptions } from './config-loader.js';
