// Every curated card, validated through the card schema when loaded so a mistake in seed data
// fails the tests rather than reaching a store.
import { modelCardCreateSchema, type ModelCardBody, type PriceVersion } from '../model-card-schema.js';
import { chineseCards } from './curated-cards-chinese.js';
import { internationalCards } from './curated-cards-international.js';

export interface SeedCard {
  readonly body: ModelCardBody;
  readonly prices: PriceVersion[];
}

export function curatedCards(): SeedCard[] {
  return [...internationalCards, ...chineseCards].map((input) => {
    const { prices, ...body } = modelCardCreateSchema.parse(input);
    return { body, prices };
  });
}
