/**
 * CPU the recommender's process spends per decision and per re-serve, measured in one process:
 * the recommender in it, integrations, the scorer and profile as processes (the tip-loop
 * harness). Run with `node --cpu-prof` to see where it goes:
 *
 *   node --conditions=oo-source --import @swc-node/register/esm-register \
 *     services/recommender/test/support/decision-cpu.ts [decisions] [reserves]
 *
 * "rpc" rows go through `rpc.recommender.recommend` (the client's share of the JSON and NATS
 * work is in them, the same on every run); "direct" rows call `RecommendService.recommend`.
 * Ending a tip between decisions is one SQL UPDATE from this process, counted in.
 */
import { RecommendService } from '../../src/deciding/recommend.service.js';
import { startTipLoopHarness } from './tip-loop-harness.js';

const TASKS = 50;
const decisions = Number(process.argv[2] ?? 300);
const reserves = Number(process.argv[3] ?? 1000);

const harness = await startTipLoopHarness('recommender_cpu');
try {
  const app = await harness.startRecommender({ RECOMMENDER_SCORER_TIMEOUT_MS: '2000' });
  const service = app.app.get(RecommendService);
  const user = await harness.connectedUser(
    'cpu',
    Array.from({ length: TASKS }, (_, k) => ({
      content: `Task ${k}`,
      priority: 1 + (k % 4),
      ...(k % 3 === 0 ? { dueDate: '2026-11-20' } : {}),
    })),
  );
  const endOpenTip = () =>
    harness.sql.query(
      `UPDATE recommender.tip SET ended_at = now(), end_reason = 'done' WHERE user_id = $1 AND ended_at IS NULL`,
      [user.userId],
    );
  const viaRpc = () => harness.recommend(user.userId);
  const direct = () => service.recommend({ userId: user.userId, channel: 'web' });

  const cpuUs = () => {
    const { user: u, system } = process.cpuUsage();
    return u + system;
  };
  const measure = async (
    label: string,
    count: number,
    call: () => Promise<unknown>,
    between?: () => Promise<unknown>,
  ) => {
    const walls: number[] = [];
    const cpu0 = cpuUs();
    for (let i = 0; i < count; i += 1) {
      const t0 = performance.now();
      await call();
      walls.push(performance.now() - t0);
      if (between) await between();
    }
    // Publishes still in flight belong to these decisions.
    await service.beforeApplicationShutdown();
    const cpu = (cpuUs() - cpu0) / count;
    walls.sort((a, b) => a - b);
    const at = (q: number) => walls[Math.min(walls.length - 1, Math.floor(q * walls.length))]!;
    console.log(
      `${label.padEnd(18)} n=${String(count).padStart(5)}  cpu ${cpu.toFixed(0).padStart(6)} µs/call  wall p50 ${at(0.5).toFixed(2)} ms  p99 ${at(0.99).toFixed(2)} ms`,
    );
  };

  // Warm-up: JIT, connection pools, the scorer's model, Prisma's query cache.
  await measure('warm-up decide', 60, viaRpc, endOpenTip);
  await measure('warm-up re-serve', 200, viaRpc);
  await endOpenTip();
  // DECISION_CPU_ONLY=decide|reserve: one kind of call only (for a --cpu-prof of it).
  const only = process.env['DECISION_CPU_ONLY'];
  if (only !== 'reserve') {
    await measure('decide rpc', decisions, viaRpc, endOpenTip);
    await measure('decide direct', decisions, direct, endOpenTip);
  }
  if (only !== 'decide') {
    await measure('re-serve rpc', reserves, viaRpc);
    await measure('re-serve direct', reserves, direct);
  }
  if (!only) await measure('end tip (SQL) only', decisions, endOpenTip);
} finally {
  await harness.stop();
}
