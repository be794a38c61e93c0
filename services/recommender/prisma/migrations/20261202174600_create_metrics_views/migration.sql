-- The daily metrics baseline (rpc.recommender.metrics), as views over the decision log so an
-- operator's SQL and the RPC share one definition. Days are UTC calendar days. A tip and all
-- its reactions count on the day the tip was served (a cohort: a late reaction or an expiry
-- lands on its tip's day). Views are not part of schema.prisma: the drift test leaves them
-- out of its comparison, and a migration that changes a column they read must recreate them.

-- One row per tip: its day, and whether the user reacted to it in the app. Webhook and
-- reconcile completions and expiries are oO's own observations, not the user's reaction.
CREATE VIEW "metrics_tip_outcome" AS
SELECT
    t."id" AS "tip_id",
    t."user_id",
    t."policy",
    (t."served_at" AT TIME ZONE 'UTC')::date AS "day",
    EXISTS (
        SELECT 1 FROM "tip_reaction" r
        WHERE r."tip_id" = t."id" AND r."source" = 'user' AND r."action" <> 'expired'
    ) AS "reacted_by_user"
FROM "tip" t;

-- Per day and policy: users served, tips served, tips with a user reaction.
CREATE VIEW "metrics_daily_policy" AS
SELECT
    "day",
    "policy",
    count(DISTINCT "user_id")::int AS "users_served",
    count(*)::int AS "tips_served",
    (count(*) FILTER (WHERE "reacted_by_user"))::int AS "tips_with_user_reaction"
FROM "metrics_tip_outcome"
GROUP BY "day", "policy";

-- The same per day over every policy (distinct users do not add up across policies).
CREATE VIEW "metrics_daily_serving" AS
SELECT
    "day",
    count(DISTINCT "user_id")::int AS "users_served",
    count(*)::int AS "tips_served",
    (count(*) FILTER (WHERE "reacted_by_user"))::int AS "tips_with_user_reaction"
FROM "metrics_tip_outcome"
GROUP BY "day";

-- Per day (of the tip), policy and action: reactions of every kind and source, and their
-- rewards (expiries are reward 0 and count in the mean; they are not user reactions).
CREATE VIEW "metrics_daily_reactions" AS
SELECT
    (t."served_at" AT TIME ZONE 'UTC')::date AS "day",
    t."policy",
    r."action",
    count(*)::int AS "reactions",
    sum(r."reward")::float8 AS "reward_sum"
FROM "tip" t
JOIN "tip_reaction" r ON r."tip_id" = t."id"
GROUP BY 1, 2, 3;

-- Per day of sign-up: users who signed up, and of them those served at least one tip by now
-- (activation). A deleted user is gone from both.
CREATE VIEW "metrics_daily_signups" AS
SELECT
    (s."signed_up_at" AT TIME ZONE 'UTC')::date AS "day",
    count(*)::int AS "signups",
    (count(*) FILTER (
        WHERE EXISTS (SELECT 1 FROM "tip" t WHERE t."user_id" = s."user_id")
    ))::int AS "activated"
FROM "signup" s
GROUP BY 1;
