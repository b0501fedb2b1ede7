// The catalogue: model cards (identity, capability, MOF openness, licence terms, versioned
// prices, deployments, market, benchmark results), search and compare.
export { CatalogService, type Comparison, type ImportCounts, type ModelDetail } from './catalog-service.js';
export { CatalogStartupSeed, type TokenlensImportResult } from './catalog-startup-seed.js';
export { convertModelsDevCatalog, loadTokenlensCatalog, tokenlensPackage, type ImportReport } from './tokenlens-importer.js';
export type { PresentedModel } from './catalog-presentation.js';
export type { SearchPage } from './catalog-search.js';
export { benchmarkResultSchema, type BenchmarkResult } from './model-card-schema.js';
export { deprecationRequestSchema, modelCardBodySchema, modelCardCreateSchema, priceVersionSchema, type ModelCardBody, type ModelCardCreate, type PriceVersion } from './model-card-schema.js';
export { knownLicenseIds, licenseTermsSchema, lookupLicense, type LicenseTerms } from './license-registry.js';
export { computeMofClass, hasOpenWeights, type MofClass, type Openness } from './model-openness.js';
export type { GatewayVerdict } from './catalog-license-gate.js';
export type { GatewayPrice } from './catalog-pricing-index.js';
export { huggingFaceImportSchema, importHuggingFaceCard, type HuggingFaceImport } from './huggingface-model-card.js';
