using PipelineCoach.SalesforceSimulator.Org;

namespace PipelineCoach.SalesforceSimulator.Generation;

/// <summary>
/// Closed background deals: their qualification while open is decided first, then the outcome follows it
/// (<see cref="OutcomeModelKind.Qualification"/>) or ignores it (<see cref="OutcomeModelKind.Random"/>). See
/// <see cref="OutcomeModelParameters"/> and docs/salesforce-simulator.md.
/// </summary>
public static partial class OrgGenerator
{
    /// <summary>The five proactive criteria, in the order <see cref="ClosedPlan.Met"/> holds them.</summary>
    private static class Criterion
    {
        public const int CustomerDrivenCloseDate = 0;
        public const int ExecutivePriority = 1;
        public const int BuyingPlan = 2;
        public const int MultiThreaded = 3;
        public const int DatedNextStep = 4;
        public const int Count = 5;
    }

    /// <summary>Streams of the qualification and outcome draws: apart from the deal's own, so both models share qualification.</summary>
    private const long QualityStream = 1L << 40;
    private const long OutcomeStream = 2L << 40;

    /// <summary>What a closed deal looked like while open, and how it ended.</summary>
    private struct ClosedPlan
    {
        public int Met;
        public int MetCount;
        public int Pushes;
        public bool LateDeepDiscount;
        public bool Metrics;
        public bool Champion;
        public bool Competition;
        public bool Won;
        public bool WalkAway;
        public int LastOpenStage;

        public readonly bool Has(int criterion) => (Met & (1 << criterion)) != 0;
    }

    private sealed partial class Builder
    {
        /// <summary>
        /// The stage from which the default proactive scorecard expects each criterion: a deal walked away from is
        /// closed at (or just after) the stage where a missing criterion shows.
        /// </summary>
        private static readonly int[] ExpectedFromStage = [1, 2, 4, 2, 0];

        private static readonly int[] ClosedPushWeights = [45, 30, 17, 8];

        /// <summary>Roles that neither decide nor sign: a deal with only these is not multi-threaded.</summary>
        private static readonly byte[] BystanderRoles = [0, 3, 4, 5, 6, 7, 8];

        private int closedDeals;
        private int wonDeals;

        private OutcomeModelTruth OutcomeTruth() => new()
        {
            Model = options.Outcomes == OutcomeModelKind.Random ? "random" : "qualification",
            Description = options.Outcomes == OutcomeModelKind.Random
                ? "Control: each closed background deal is won by a coin toss at randomWinRate, whatever its qualification; its last open stage is drawn the same way for wins and losses."
                : "P(win) = logistic(b0 + b1 · share of the five proactive criteria met while open + b2 · customer-driven close date − b3 · close-date pushes − b4 · late deep discount + N(0, noise)). Each criterion is met with probability criterionFloor + criterionSlope · q for a hidden deal quality q ~ U(0, 1).",
            Parameters = options.OutcomeParameters,
            ClosedDeals = closedDeals,
            Won = wonDeals,
        };

        private ClosedPlan PlanClosed(int i)
        {
            var parameters = options.OutcomeParameters;
            var plan = default(ClosedPlan);
            var q = Rng.For(options.Seed, QualityStream + i);
            var quality = q.NextDouble();
            var p = parameters.CriterionFloor + (parameters.CriterionSlope * quality);
            for (var c = 0; c < Criterion.Count; c++)
            {
                if (q.Chance(p))
                {
                    plan.Met |= 1 << c;
                    plan.MetCount++;
                }
            }

            plan.Metrics = q.Chance(p);
            plan.Champion = q.Chance(p);
            plan.Competition = q.Chance(p);
            var customerDriven = plan.Has(Criterion.CustomerDrivenCloseDate);

            // A customer-driven close date is never pushed; other deals slip now and then.
            plan.Pushes = customerDriven ? 0 : q.Weighted(ClosedPushWeights);
            plan.LateDeepDiscount = q.Chance(parameters.LateDiscountFloor + ((parameters.LateDiscountCeiling - parameters.LateDiscountFloor) * (1 - quality)));

            var o = Rng.For(options.Seed, OutcomeStream + i);
            if (options.Outcomes == OutcomeModelKind.Random)
            {
                plan.Won = o.Chance(parameters.RandomWinRate);

                // The control's last open stage ignores the outcome too, so stage cannot give the outcome away.
                plan.WalkAway = o.Chance(0.4);
                plan.LastOpenStage = plan.WalkAway ? o.Next(0, 5) : o.Next(5, 8);
            }
            else
            {
                var share = plan.MetCount / (double)Criterion.Count;
                var noise = Normal(ref o) * parameters.Noise;
                plan.Won = o.Chance(parameters.WinProbability(share, customerDriven, plan.Pushes, plan.LateDeepDiscount, noise));

                // Wins go the distance. Losses of poorly qualified deals are mostly walked away from early, at the
                // stage where what is missing shows; the rest are lost late, in negotiation.
                plan.WalkAway = !plan.Won && plan.MetCount < Criterion.Count && o.Chance(0.8 * (1 - share));
                if (plan.Won)
                {
                    plan.LastOpenStage = StageLadder.Negotiation.Code;
                }
                else if (plan.WalkAway)
                {
                    var first = StageLadder.OpenStageCount;
                    for (var c = 0; c < Criterion.Count; c++)
                    {
                        first = plan.Has(c) ? first : Math.Min(first, ExpectedFromStage[c]);
                    }

                    plan.LastOpenStage = Math.Min(4, first + o.Next(2));
                }
                else
                {
                    plan.LastOpenStage = o.Next(5, 8);
                }
            }

            closedDeals++;
            wonDeals += plan.Won ? 1 : 0;
            return plan;
        }

        /// <summary>Box–Muller: a standard normal draw without allocating.</summary>
        private static double Normal(ref Rng rng)
        {
            var u1 = 1.0 - rng.NextDouble();
            var u2 = rng.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }

        private void AddClosedBackgroundOpportunity(int i, ref Rng rng, int repSlot, long createdMs, double amount)
        {
            var plan = PlanClosed(i);
            var q = Rng.For(options.Seed, QualityStream + i + (1L << 39));
            var reached = plan.LastOpenStage;

            // Walked-away deals close early in their life; the rest run most of the way to today.
            var endMs = createdMs + (long)((asOfMs - createdMs) * (plan.WalkAway ? 0.15 + (rng.NextDouble() * 0.3) : 0.45 + (rng.NextDouble() * 0.5)));
            endMs = Math.Max(endMs, createdMs + 3_600_000L);

            events.Clear();
            roleBuffer.Clear();
            taskBuffer.Clear();
            var steps = reached + 1;
            for (var k = 1; k <= steps; k++)
            {
                if (k < steps && rng.Chance(0.4))
                {
                    continue;
                }

                var at = createdMs + (long)((endMs - createdMs) * (k / (double)steps) * (k == steps ? 1 : 0.85 + (rng.NextDouble() * 0.15)));
                var stage = k == steps ? (plan.Won ? StageLadder.ClosedWon.Code : StageLadder.ClosedLost.Code) : k;
                events.Add(new DealEvent(at, EventKind.Stage, stage, 0));
            }

            // The close date was pushed out to the day the deal closed, so closing itself is not a push.
            var finalClose = DayOf(endMs);
            var createdDay = DayOf(createdMs);
            var pushes = plan.Pushes;
            var pushSizes = (stackalloc int[3]);
            var pushTotal = 0;
            for (var p = 0; p < pushes; p++)
            {
                pushSizes[p] = rng.Next(10, 60);
                pushTotal += pushSizes[p];
            }

            var room = finalClose - createdDay - 8;
            if (pushTotal > room)
            {
                pushes = room >= pushes ? pushes : 0;
                pushTotal = 0;
                for (var p = 0; p < pushes; p++)
                {
                    pushSizes[p] = room / pushes;
                    pushTotal += pushSizes[p];
                }
            }

            var close = finalClose - pushTotal;
            var initialClose = close;
            for (var p = 0; p < pushes; p++)
            {
                close += pushSizes[p];
                var at = createdMs + (long)((endMs - createdMs) * 0.9 * ((p + rng.NextDouble()) / pushes));
                events.Add(new DealEvent(at, EventKind.Push, close, 0));
            }

            var initialAmount = AmountChange(ref rng, amount, createdMs, endMs);
            events.Sort((a, b) => a.AtMs.CompareTo(b.AtMs));

            var owner = backgroundReps[repSlot];
            var account = (repSlot * accountsPerRep) + rng.Next(accountsPerRep);
            AddClosedRoles(ref q, plan, account, createdMs, endMs);
            AddTasks(ref rng, account, createdMs, endMs);

            var customerDriven = plan.Has(Criterion.CustomerDrivenCloseDate);
            var eventPassed = !customerDriven && q.Chance(0.25);
            var executive = plan.Has(Criterion.ExecutivePriority);
            var sponsor = executive ? q.Chance(0.6) : q.Chance(0.3);
            var economicBuyer = executive ? !sponsor || q.Chance(0.5) : q.Chance(0.3);
            var plan3 = plan.Has(Criterion.BuyingPlan) ? 3 : q.Next(3);
            var mask = (customerDriven || eventPassed ? 1 << QualificationFields.CompellingEvent : 0)
                | (economicBuyer ? 1 << QualificationFields.EconomicBuyer : 0)
                | (executive ? 1 << QualificationFields.IdentifiedPain : 0)
                | ((plan3 & 1) != 0 ? 1 << QualificationFields.DecisionProcess : 0)
                | ((plan3 & 2) != 0 ? 1 << QualificationFields.DecisionCriteria : 0)
                | (plan.Metrics ? 1 << QualificationFields.Metrics : 0)
                | (plan.Champion ? 1 << QualificationFields.Champion : 0)
                | (plan.Competition ? 1 << QualificationFields.Competition : 0);

            // The next step as it stood on the last open day: agreed for the day before the close, stale, or none.
            var dated = plan.Has(Criterion.DatedNextStep);
            var stale = !dated && q.Chance(0.4);
            var draft = new Draft
            {
                Owner = owner,
                Account = account,
                CreatedMs = createdMs,
                Amount = initialAmount,
                InitialCloseDay = initialClose,
                Product = (byte)rng.Next(NamePools.Products.Length),
                Type = (byte)rng.Next(NamePools.OpportunityTypes.Length),
                LeadSource = (byte)rng.Next(NamePools.LeadSources.Length),
                NextStepText = dated || stale ? (byte)q.Next(NamePools.NextSteps.Length) : OpportunityRow.NoNextStep,
                NextStepDay = dated ? Math.Max(createdDay, finalClose - 1) : Math.Max(createdDay, finalClose - q.Next(20, 90)),
                CompellingDay = customerDriven ? finalClose + q.Next(15) : eventPassed ? Math.Max(createdDay + 1, finalClose - q.Next(5, 40)) : 0,
                ExecutiveSponsor = sponsor ? (account * ContactsPerAccount) + q.Next(ContactsPerAccount) : -1,
                Discount = plan.LateDeepDiscount ? q.Next(20, 36) : q.Chance(0.5) ? q.Next(16) : float.NaN,
                Qualification = (byte)mask,
                ModstampMs = Math.Min(asOfMs - 1000, endMs + (rng.Next(1, 600) * 60_000L)),
            };
            Emit(ref draft);
        }

        /// <summary>Multi-threaded: three or four roles including a decision maker or economic buyer; otherwise fewer, or only bystanders.</summary>
        private void AddClosedRoles(ref Rng q, in ClosedPlan plan, int account, long createdMs, long endMs)
        {
            var multi = plan.Has(Criterion.MultiThreaded);
            var bystandersOnly = !multi && q.Chance(0.4);
            var roleCount = multi || bystandersOnly ? 3 + q.Next(2) : q.Next(3);
            var startContact = q.Next(ContactsPerAccount);
            var span = Math.Max(1, (int)((endMs - createdMs) / 86_400_000L));
            for (var r = 0; r < roleCount; r++)
            {
                var role = multi && r == 0 ? (q.Chance(0.5) ? Roles.DecisionMaker : Roles.EconomicBuyer)
                    : multi || !bystandersOnly ? (byte)q.Next(NamePools.ContactRoles.Length)
                    : BystanderRoles[q.Next(BystanderRoles.Length)];
                roleBuffer.Add(new RoleSpec(
                    (account * ContactsPerAccount) + ((startContact + r) % ContactsPerAccount),
                    role,
                    r == 0,
                    createdMs + (q.Next(0, Math.Min(20, span)) * 86_400_000L)));
            }
        }
    }
}
