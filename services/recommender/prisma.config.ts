// The Prisma CLI's configuration (prisma generate); see libs/database/src/prisma/service-prisma-config.ts.
import { servicePrismaConfig } from '../../libs/database/src/prisma/service-prisma-config.ts';

export default servicePrismaConfig('recommender');
