export { USER_PURGE, UserErasureModule, type UserPurge } from './user-erasure.module.js';
