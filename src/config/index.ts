// Configuration: one validated Config from modelmart.yaml, the environment and command flags.
export { configSchema, routeSchema, type Config, type ConfigInput, type ProviderConfig, type RouteConfig } from './config-schema.js';
export { currencySchema, organisationProfileSchema, type Currency, type OrganisationProfile, type RateLimitConfig } from './config-schema.js';
export { loadConfig, ConfigError, type ConfigOverrides, type LoadConfigOptions } from './config-loader.js';
