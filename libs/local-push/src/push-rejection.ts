/** A push message the service refuses, with the status a real push service would answer. */
export class PushRejection extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'PushRejection';
  }
}
