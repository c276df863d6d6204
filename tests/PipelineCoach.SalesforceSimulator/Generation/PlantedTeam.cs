using System.Globalization;
using PipelineCoach.SalesforceSimulator.Org;

namespace PipelineCoach.SalesforceSimulator.Generation;

public static partial class OrgGenerator
{
    /// <summary>Role codes into <see cref="NamePools.ContactRoles"/>.</summary>
    private static class Roles
    {
        public const byte DecisionMaker = 1;
        public const byte EconomicBuyer = 2;
        public const byte Evaluator = 4;
        public const byte ExecutiveSponsor = 5;
        public const byte TechnicalBuyer = 7;
    }

    private static readonly IReadOnlyDictionary<string, string> HowPlantedText = new Dictionary<string, string>
    {
        [ProblemCodes.Slipping] =
            "Open deal in Negotiation/Review whose OpportunityHistory shows CloseDate pushed 3 times, each push moving it into the next calendar quarter (original close date two quarters before AsOf's quarter, current close date in the next quarter). Compelling_Event_Date__c was moved along with every push (OpportunityFieldHistory shows three moves later). Controls were never pushed.",
        [ProblemCodes.Stalled] =
            "Open deal in Needs Analysis (norm 21 days) whose last stage change (OpportunityHistory and LastStageChangeDate) is 120 days before AsOf; activity is recent. Controls entered the same stage 5 days before AsOf.",
        [ProblemCodes.PrematurePresentation] =
            "Deal entered Proposal/Price Quote 4 days before AsOf with Compelling_Event_Date__c, Executive_Sponsor__c and every qualification text field (Compelling_Event__c, Economic_Buyer__c, Identified_Pain__c, Decision_Process__c, Decision_Criteria__c, Metrics__c, Champion__c, Competition__c) null and only two contact roles (Evaluator, Technical Buyer: no Decision Maker or Economic Buyer). Next step (and Next_Step_Date__c) and activity are fine.",
        [ProblemCodes.MaverickDiscount] =
            "Deal in Negotiation/Review with Discount_Percent__c = 35 and CloseDate late in the push: two days before AsOf's quarter ends or 20 days after AsOf, whichever is sooner. Control: same stage and close date, Discount_Percent__c = 5.",
        [ProblemCodes.SingleThreaded] =
            "Perception Analysis deal of 250,000 with exactly one OpportunityContactRole (Decision Maker, primary). Controls have four roles.",
        [ProblemCodes.NoNextStep] = "Value Proposition deal with NextStep and Next_Step_Date__c null; everything else clean.",
        [ProblemCodes.StaleActivity] =
            "Id. Decision Makers deal whose only tasks are 45, 52 and 60 days before AsOf (LastActivityDate = AsOf - 45) and no open task.",
        [ProblemCodes.TunnelVision] =
            "Rep with 8 open deals: one has 15 completed tasks over the 30 days before AsOf; the other 7 have no task in the 44 days before AsOf (LastActivityDate 45+ days ago).",
        [ProblemCodes.InflowDriedUp] =
            "Rep whose newest Opportunity was created 100 days before AsOf (earlier ones roughly monthly); peers created 2 or more in the last 30 days.",
        [ProblemCodes.CoverageBelowTarget] =
            "Rep with quota 400,000 for AsOf's quarter and 200,000 of clean open pipeline closing in it (coverage 0.5x); clean controls have 4x.",
        ["clean"] =
            "Clean deal: stages advanced about every 8 days with the last change 2 days before AsOf, never pushed, four contact roles (Decision Maker primary, Economic Buyer, Executive Sponsor, Technical Buyer), Executive_Sponsor__c set, Compelling_Event_Date__c = CloseDate, every qualification text field set (Compelling_Event__c, Economic_Buyer__c, Identified_Pain__c, Decision_Process__c, Decision_Criteria__c, Metrics__c, Champion__c, Competition__c), NextStep and Next_Step_Date__c dated 3 days after AsOf, completed tasks 1, 4, 9 and 15 days before AsOf, Discount_Percent__c = 5.",
    };

    private static readonly string[] QualificationFieldNames =
    [
        "Compelling_Event__c", "Economic_Buyer__c", "Identified_Pain__c", "Decision_Process__c", "Decision_Criteria__c",
        "Metrics__c", "Champion__c", "Competition__c",
    ];

    /// <summary>A hand-written deal of the planted team.</summary>
    private sealed class Plan
    {
        public int Owner { get; set; }

        public int Account { get; set; }

        public int CreatedDay { get; set; }

        public double Amount { get; set; } = 100_000;

        public List<(int Day, int Stage)> StageChanges { get; } = [];

        public int InitialClose { get; set; }

        public List<(int Day, int Close)> Pushes { get; } = [];

        public List<byte> Roles { get; set; } = [];

        public bool ExecutiveSponsor { get; set; } = true;

        public int CompellingDay { get; set; }

        /// <summary>The compelling event date was moved along with every close-date push (OpportunityFieldHistory rows).</summary>
        public bool EventMovesWithClose { get; set; }

        public float Discount { get; set; } = 5;

        public byte Qualification { get; set; } = QualificationFields.All;

        public int NextStepDay { get; set; }

        public List<int> TaskDays { get; set; } = [];

        public int Stage => StageChanges.Count == 0 ? 0 : StageChanges[^1].Stage;

        public int FinalClose => Pushes.Count == 0 ? InitialClose : Pushes[^1].Close;
    }

    private sealed partial class Builder
    {
        private readonly List<(PlantedSubject Subject, bool IsRep)> plantedSubjects = [];
        private int plantedManager = -1;

        private (int Start, int End, int CloseInQuarter, int NextQuarterMid) Period()
        {
            var asOf = DateOnly.FromDayNumber(asOfDay);
            var start = FiscalCalendar.QuarterStart(asOf).DayNumber;
            var end = FiscalCalendar.QuarterEnd(asOf).DayNumber;
            return (start, end, Math.Min(end, asOfDay + 20), end + 41);
        }

        private List<(PlantedSubject Subject, bool IsRep)> PlantTeam()
        {
            var created = asOfMs - (800L * 86_400_000L);
            roles.Add(new UserRoleRecord(roles.Count, "Sales Manager Planted", 0));
            plantedManager = AddUser(null, null, "Sales Manager", roles.Count - 1, 1, created);
            roles.Add(new UserRoleRecord(roles.Count, "Sales Rep Team Planted", roles.Count - 1));
            var repRole = roles.Count - 1;
            var dealRep = AddUser(null, null, "Account Executive", repRole, plantedManager, created);
            var controlRep = AddUser(null, null, "Account Executive", repRole, plantedManager, created);
            var tunnelRep = AddUser(null, null, "Account Executive", repRole, plantedManager, created);
            var dryRep = AddUser(null, null, "Account Executive", repRole, plantedManager, created);
            var lowRep = AddUser(null, null, "Account Executive", repRole, plantedManager, created);
            quotas[dealRep] = 300_000;
            quotas[controlRep] = 200_000;
            quotas[tunnelRep] = 200_000;
            quotas[dryRep] = 200_000;
            quotas[lowRep] = 400_000;

            PlantDeals(dealRep);
            PlantRepControl(controlRep);
            PlantTunnelVision(tunnelRep);
            PlantInflowDriedUp(dryRep);
            PlantLowCoverage(lowRep);
            return plantedSubjects;
        }

        private Plan Clean(int owner, int stage, int closeDay, int? createdAgo = null, double amount = 100_000)
        {
            var p = new Plan
            {
                Owner = owner,
                Account = AddAccount(owner, Rng.For(options.Seed, -20_000_000 - accounts.Count)),
                Amount = amount,
                CreatedDay = asOfDay - (createdAgo ?? (8 * (stage + 1))),
                InitialClose = closeDay,
                CompellingDay = closeDay,
                NextStepDay = asOfDay + 3,
                Roles = [Roles.DecisionMaker, Roles.EconomicBuyer, Roles.ExecutiveSponsor, Roles.TechnicalBuyer],
            };
            var lastChange = asOfDay - 2;
            for (var s = 1; s <= stage; s++)
            {
                p.StageChanges.Add((p.CreatedDay + ((lastChange - p.CreatedDay) * s / stage), s));
            }

            p.TaskDays = [.. new[] { 1, 4, 9, 15 }.Select(d => asOfDay - d).Where(d => d >= p.CreatedDay)];
            return p;
        }

        private int EmitPlan(Plan p)
        {
            events.Clear();
            roleBuffer.Clear();
            taskBuffer.Clear();
            foreach (var (day, stage) in p.StageChanges)
            {
                events.Add(new DealEvent(DayMs(day) + (10 * 3_600_000L), EventKind.Stage, stage, 0));
            }

            foreach (var (day, close) in p.Pushes)
            {
                events.Add(new DealEvent(DayMs(day) + (11 * 3_600_000L), EventKind.Push, close, 0));
            }

            events.Sort((a, b) => a.AtMs.CompareTo(b.AtMs));
            var createdMs = DayMs(p.CreatedDay) + (9 * 3_600_000L);
            for (var j = 0; j < p.Roles.Count; j++)
            {
                roleBuffer.Add(new RoleSpec((p.Account * ContactsPerAccount) + j, p.Roles[j], j == 0, createdMs + 3_600_000L));
            }

            foreach (var day in p.TaskDays)
            {
                taskBuffer.Add(new TaskSpec(day, true, p.Account * ContactsPerAccount, (byte)(day % 4), DayMs(day) + (9 * 3_600_000L)));
            }

            var sponsorRole = p.Roles.IndexOf(Roles.ExecutiveSponsor);
            var draft = new Draft
            {
                Owner = p.Owner,
                Account = p.Account,
                CreatedMs = createdMs,
                Amount = p.Amount,
                InitialCloseDay = p.InitialClose,
                Product = (byte)(p.Account % NamePools.Products.Length),
                NextStepText = p.NextStepDay == 0 ? OpportunityRow.NoNextStep : (byte)9,
                NextStepDay = p.NextStepDay,
                CompellingDay = p.CompellingDay,
                ExecutiveSponsor = p.ExecutiveSponsor ? (p.Account * ContactsPerAccount) + Math.Max(0, sponsorRole) : -1,
                Discount = p.Discount,
                Qualification = p.Qualification,
                ModstampMs = createdMs,
            };
            var index = Emit(ref draft);
            var previous = p.InitialClose;
            foreach (var (day, close) in p.EventMovesWithClose ? p.Pushes : [])
            {
                fieldHistory.Add(new FieldHistoryRow { Opportunity = index, CreatedBy = p.Owner, OldDay = previous, NewDay = close, CreatedMs = DayMs(day) + (11 * 3_600_000L) });
                previous = close;
            }

            return index;
        }

        private void AddOpportunitySubject(Plan p, IReadOnlyList<string> problems, IReadOnlyList<string> controlFor, string how, string? pairedWith = null)
        {
            var index = EmitPlan(p);
            var id = SalesforceIds.Create(SalesforceIds.Opportunity, index);
            var planted = new Dictionary<string, string?>
            {
                ["StageName"] = StageLadder.All[p.Stage].Name,
                ["Amount"] = p.Amount.ToString(CultureInfo.InvariantCulture),
                ["CloseDate"] = Date(p.FinalClose),
                ["CreatedDate"] = Date(p.CreatedDay),
                ["LastStageChangeDate"] = Date(p.StageChanges.Count == 0 ? p.CreatedDay : p.StageChanges[^1].Day),
                ["CloseDateHistory"] = string.Join(';', new[] { p.InitialClose }.Concat(p.Pushes.Select(x => x.Close)).Select(Date)),
                ["CloseDatePushes"] = p.Pushes.Count.ToString(CultureInfo.InvariantCulture),
                ["ContactRoles"] = string.Join(';', p.Roles.Select(r => NamePools.ContactRoles[r])),
                ["Executive_Sponsor__c"] = p.ExecutiveSponsor
                    ? SalesforceIds.Create(SalesforceIds.Contact, (p.Account * ContactsPerAccount) + Math.Max(0, p.Roles.IndexOf(Roles.ExecutiveSponsor)))
                    : null,
                ["Compelling_Event_Date__c"] = p.CompellingDay == 0 ? null : Date(p.CompellingDay),
                ["Discount_Percent__c"] = p.Discount.ToString(CultureInfo.InvariantCulture),
                ["NextStepDate"] = p.NextStepDay == 0 ? null : Date(p.NextStepDay),
                ["Next_Step_Date__c"] = p.NextStepDay == 0 ? null : Date(p.NextStepDay),
                ["QualificationFieldsSet"] = string.Join(';', QualificationFieldNames.Where((_, bit) => (p.Qualification & (1 << bit)) != 0)),
                ["LastActivityDate"] = p.TaskDays.Count == 0 ? null : Date(p.TaskDays.Max()),
            };
            plantedSubjects.Add((new PlantedSubject
            {
                Id = id,
                Name = $"{NamePools.AccountName(p.Account)} - {NamePools.Products[p.Account % NamePools.Products.Length]}",
                OwnerId = SalesforceIds.Create(SalesforceIds.User, p.Owner),
                Problems = problems,
                ControlFor = controlFor,
                PairedWith = pairedWith,
                Planted = planted,
                How = how,
            }, false));
        }

        private static string Date(int day) => DateOnly.FromDayNumber(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private string LastId => SalesforceIds.Create(SalesforceIds.Opportunity, opportunities.Count - 1);

        private void PlantDeals(int rep)
        {
            var (_, end, inQuarter, nextQuarter) = Period();
            var asOf = DateOnly.FromDayNumber(asOfDay);

            // Slipping: each push lands in the following quarter.
            var q = FiscalCalendar.QuarterStart(asOf);
            var c0 = FiscalCalendar.QuarterEnd(q.AddMonths(-6)).DayNumber - 10;
            var c1 = FiscalCalendar.QuarterEnd(q.AddMonths(-3)).DayNumber - 10;
            var c2 = end - 5;
            var slip = Clean(rep, 7, c0, createdAgo: asOfDay - (c0 - 70), amount: 120_000);
            slip.StageChanges.Clear();
            for (var s = 1; s <= 7; s++)
            {
                slip.StageChanges.Add((slip.CreatedDay + ((asOfDay - 6 - slip.CreatedDay) * s / 7), s));
            }

            slip.Pushes.Add((c0 - 5, c1));
            slip.Pushes.Add((c1 - 5, c2));
            slip.Pushes.Add((Math.Min(c2 - 5, asOfDay - 2), nextQuarter));
            slip.CompellingDay = nextQuarter;
            slip.EventMovesWithClose = true;
            AddOpportunitySubject(slip, [ProblemCodes.Slipping], [], HowPlantedText[ProblemCodes.Slipping]);
            AddOpportunitySubject(Clean(rep, 7, inQuarter, amount: 120_000), [], [ProblemCodes.Slipping], HowPlantedText["clean"], LastId);

            var stalled = Clean(rep, 2, nextQuarter, createdAgo: 140);
            stalled.StageChanges.Clear();
            stalled.StageChanges.Add((asOfDay - 130, 1));
            stalled.StageChanges.Add((asOfDay - 120, 2));
            AddOpportunitySubject(stalled, [ProblemCodes.Stalled], [], HowPlantedText[ProblemCodes.Stalled]);
            var stalledControl = Clean(rep, 2, nextQuarter, createdAgo: 20);
            stalledControl.StageChanges[^1] = (asOfDay - 5, 2);
            AddOpportunitySubject(stalledControl, [], [ProblemCodes.Stalled], HowPlantedText["clean"], LastId);

            var premature = Clean(rep, 6, inQuarter);
            premature.StageChanges[^1] = (asOfDay - 4, 6);
            premature.Roles = [Roles.Evaluator, Roles.TechnicalBuyer];
            premature.ExecutiveSponsor = false;
            premature.CompellingDay = 0;
            premature.Qualification = 0;
            AddOpportunitySubject(premature, [ProblemCodes.PrematurePresentation], [], HowPlantedText[ProblemCodes.PrematurePresentation]);
            AddOpportunitySubject(Clean(rep, 6, inQuarter), [], [ProblemCodes.PrematurePresentation], HowPlantedText["clean"], LastId);

            // Late in the push: in the last days of the quarter, and never more than 20 days out (the flag wants a late discount).
            var lateClose = Math.Min(Math.Max(asOfDay, end - 2), asOfDay + 20);
            var discount = Clean(rep, 7, lateClose, amount: 150_000);
            discount.StageChanges[^1] = (asOfDay - 3, 7);
            discount.Discount = 35;
            AddOpportunitySubject(discount, [ProblemCodes.MaverickDiscount], [], HowPlantedText[ProblemCodes.MaverickDiscount]);
            AddOpportunitySubject(Clean(rep, 7, lateClose, amount: 150_000), [], [ProblemCodes.MaverickDiscount], HowPlantedText["clean"], LastId);

            var single = Clean(rep, 5, inQuarter, amount: 250_000);
            single.Roles = [Roles.DecisionMaker];
            AddOpportunitySubject(single, [ProblemCodes.SingleThreaded], [], HowPlantedText[ProblemCodes.SingleThreaded]);
            AddOpportunitySubject(Clean(rep, 5, inQuarter, amount: 250_000), [], [ProblemCodes.SingleThreaded], HowPlantedText["clean"], LastId);

            var noNext = Clean(rep, 3, inQuarter);
            noNext.NextStepDay = 0;
            AddOpportunitySubject(noNext, [ProblemCodes.NoNextStep], [], HowPlantedText[ProblemCodes.NoNextStep]);
            AddOpportunitySubject(Clean(rep, 3, inQuarter), [], [ProblemCodes.NoNextStep], HowPlantedText["clean"], LastId);

            var stale = Clean(rep, 4, inQuarter, createdAgo: 70);
            stale.StageChanges[^1] = (asOfDay - 10, 4);
            stale.TaskDays = [asOfDay - 60, asOfDay - 52, asOfDay - 45];
            AddOpportunitySubject(stale, [ProblemCodes.StaleActivity], [], HowPlantedText[ProblemCodes.StaleActivity]);
            AddOpportunitySubject(Clean(rep, 4, inQuarter), [], [ProblemCodes.StaleActivity], HowPlantedText["clean"], LastId);
        }

        private int SpreadClose(int k)
        {
            var (_, end, _, _) = Period();
            return Math.Min(end, asOfDay + 5 + (3 * k));
        }

        private void AddRepSubject(int rep, IReadOnlyList<string> problems, IReadOnlyList<string> controlFor, string how, Dictionary<string, string?> planted)
        {
            var (start, end, _, _) = Period();
            var pipeline = 0.0;
            for (var i = 0; i < opportunities.Count; i++)
            {
                ref var o = ref opportunities[i];
                if (o.OwnerIndex == rep && !StageLadder.All[o.Stage].IsClosed && o.CloseDay >= start && o.CloseDay <= end)
                {
                    pipeline += o.Amount;
                }
            }

            planted["Quota"] = quotas[rep].ToString(CultureInfo.InvariantCulture);
            planted["OpenPipelineInPeriod"] = pipeline.ToString(CultureInfo.InvariantCulture);
            planted["Coverage"] = (pipeline / (double)quotas[rep]).ToString("0.00", CultureInfo.InvariantCulture);
            var user = users[rep];
            plantedSubjects.Add((new PlantedSubject
            {
                Id = SalesforceIds.Create(SalesforceIds.User, rep),
                Name = user.Name,
                OwnerId = SalesforceIds.Create(SalesforceIds.User, plantedManager),
                Problems = problems,
                ControlFor = controlFor,
                Planted = planted,
                How = how,
            }, true));
        }

        private void PlantRepControl(int rep)
        {
            for (var stage = 0; stage < 8; stage++)
            {
                EmitPlan(Clean(rep, stage, SpreadClose(stage)));
            }

            AddRepSubject(rep, [], ProblemCodes.RepProblems, HowPlantedText["clean"] + " Rep: 8 clean deals of 100,000 closing in the period (stages Prospecting to Negotiation/Review, 3 created in the last 30 days), quota 200,000 (coverage 4x).",
                new() { ["OpenDeals"] = "8", ["CreatedLast30Days"] = "3" });
        }

        private void PlantTunnelVision(int rep)
        {
            for (var k = 0; k < 8; k++)
            {
                var p = Clean(rep, 1 + (k % 7), SpreadClose(k), createdAgo: 75 + k);
                p.TaskDays = k == 0
                    ? [.. Enumerable.Range(0, 15).Select(d => asOfDay - 1 - (d * 2))]
                    : [asOfDay - 45 - k, asOfDay - 58, asOfDay - 70];
                EmitPlan(p);
            }

            AddRepSubject(rep, [ProblemCodes.TunnelVision], [ProblemCodes.CoverageBelowTarget], HowPlantedText[ProblemCodes.TunnelVision],
                new() { ["HotOpportunityId"] = SalesforceIds.Create(SalesforceIds.Opportunity, opportunities.Count - 8), ["HotTasksLast30Days"] = "15", ["OtherDealsLastActivityDaysAgo"] = ">=45" });
        }

        private void PlantInflowDriedUp(int rep)
        {
            for (var k = 0; k < 6; k++)
            {
                var createdAgo = 340 - (k * 30);
                var closeDay = asOfDay - createdAgo + 60;
                var p = Clean(rep, 7, closeDay, createdAgo: createdAgo);
                p.StageChanges.Clear();
                for (var s = 1; s <= 7; s++)
                {
                    p.StageChanges.Add((p.CreatedDay + ((closeDay - p.CreatedDay) * s / 8), s));
                }

                p.StageChanges.Add((closeDay, k % 2 == 0 ? StageLadder.ClosedWon.Code : StageLadder.ClosedLost.Code));
                p.TaskDays = [asOfDay - createdAgo + 10, asOfDay - createdAgo + 40];
                p.NextStepDay = 0;
                EmitPlan(p);
            }

            for (var k = 0; k < 8; k++)
            {
                EmitPlan(Clean(rep, 2 + (k % 6), SpreadClose(k), createdAgo: 100 + (12 * k)));
            }

            AddRepSubject(rep, [ProblemCodes.InflowDriedUp], [ProblemCodes.TunnelVision, ProblemCodes.CoverageBelowTarget], HowPlantedText[ProblemCodes.InflowDriedUp],
                new() { ["NewestCreatedDate"] = Date(asOfDay - 100), ["CreatedLast90Days"] = "0" });
        }

        private void PlantLowCoverage(int rep)
        {
            EmitPlan(Clean(rep, 0, SpreadClose(0)));
            EmitPlan(Clean(rep, 3, SpreadClose(3)));
            AddRepSubject(rep, [ProblemCodes.CoverageBelowTarget], [ProblemCodes.TunnelVision, ProblemCodes.InflowDriedUp], HowPlantedText[ProblemCodes.CoverageBelowTarget],
                new() { ["OpenDeals"] = "2" });
        }

        private GroundTruth BuildGroundTruth(List<(PlantedSubject Subject, bool IsRep)>? planted)
        {
            var (start, end, _, _) = Period();
            var pipeline = new Dictionary<int, double>();
            for (var i = 0; i < opportunities.Count; i++)
            {
                ref var o = ref opportunities[i];
                if (!StageLadder.All[o.Stage].IsClosed && o.CloseDay >= start && o.CloseDay <= end)
                {
                    pipeline[o.OwnerIndex] = pipeline.GetValueOrDefault(o.OwnerIndex) + o.Amount;
                }
            }

            var asOf = DateOnly.FromDayNumber(asOfDay);
            return new GroundTruth
            {
                OrganizationId = organizationId,
                Seed = options.Seed,
                AsOf = asOf,
                FiscalPeriod = FiscalCalendar.Label(asOf),
                PeriodStart = DateOnly.FromDayNumber(start),
                PeriodEnd = DateOnly.FromDayNumber(end),
                StageNormDays = StageLadder.All.Where(s => !s.IsClosed).ToDictionary(s => s.Name, s => s.NormDays),
                PlantedTeamManagerId = plantedManager < 0 ? null : SalesforceIds.Create(SalesforceIds.User, plantedManager),
                Opportunities = planted?.Where(p => !p.IsRep).Select(p => p.Subject).ToList() ?? [],
                Reps = planted?.Where(p => p.IsRep).Select(p => p.Subject).ToList() ?? [],
                Quotas = [.. quotas.OrderBy(q => q.Key).Select(q => new RepQuota(
                    SalesforceIds.Create(SalesforceIds.User, q.Key), FiscalCalendar.Label(asOf), q.Value,
                    (decimal)pipeline.GetValueOrDefault(q.Key)))],
                HowPlanted = HowPlantedText,
                Outcomes = OutcomeTruth(),
            };
        }
    }
}
