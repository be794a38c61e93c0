// Moved to @oo/testing, so tests of services behind the gateway can sign in the same way.
export { devSignIn, type SignedIn } from '@oo/testing';
