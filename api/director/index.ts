import type { Resolvers } from '../generated/graphql';
import { directorResolvers as applicationResolvers } from './application-resolvers';

/**
 * Every Director domain's resolvers, merged by Apollo in this order. A domain adds its
 * resolver map here and its schema file under api/schema/.
 */
export const directorResolvers: Resolvers[] = [applicationResolvers];
