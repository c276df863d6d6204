using System.Globalization;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.SalesforceSimulator.Org;

namespace PipelineCoach.SalesforceSimulator.Scenarios;

public sealed record ScenarioOptions
{
    public int Seed { get; init; } = 7;

    /// <summary>Number of rep actions to perform.</summary>
    public int Steps { get; init; } = 50;

    /// <summary>Share of background reps who do nothing for the whole run ("go quiet").</summary>
    public double QuietRepShare { get; init; } = 0.2;

    /// <summary>Pause between steps (demo pacing); zero runs the steps back to back.</summary>
    public TimeSpan StepInterval { get; init; } = TimeSpan.Zero;
}

public sealed record ScenarioAction(int Step, string Kind, string RepId, string RecordId, string Detail);

public sealed record ScenarioReport(IReadOnlyList<ScenarioAction> Actions, IReadOnlyList<string> QuietRepIds);

/// <summary>
/// A scripted "day in the life": reps create opportunities, push close dates, advance stages, bring in more
/// contacts and log calls, while some reps go quiet. Edits are made as the reps (UI origin) and raise outbound
/// messages and change events like any other write. The planted team is never touched, so the ground truth stays true.
/// </summary>
public sealed class DayInTheLife
{
    private readonly SimulatorServices services;
    private HashSet<int> activeReps = [];

    internal DayInTheLife(SimulatorServices services) => this.services = services;

    public async Task<ScenarioReport> RunAsync(ScenarioOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var org = services.Org;
        var rng = Rng.For(options.Seed, 77);
        var plantedManager = org.GroundTruth.PlantedTeamManagerId;
        var reps = org.UserRecords
            .Where(u => u.Title == "Account Executive" && (plantedManager is null || org.UserId(u.ManagerIndex) != plantedManager))
            .Select(u => u.Index)
            .ToList();
        var quiet = reps.Where(_ => rng.Chance(options.QuietRepShare)).ToHashSet();
        var active = reps.Where(r => !quiet.Contains(r)).ToList();
        activeReps = [.. active];
        var actions = new List<ScenarioAction>();
        if (active.Count == 0)
        {
            return new ScenarioReport(actions, [.. quiet.Select(org.UserId)]);
        }

        for (var step = 1; step <= options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rep = active[rng.Next(active.Count)];
            var action = rng.Weighted([25, 20, 25, 15, 15]) switch
            {
                0 => CreateOpportunity(step, rep, ref rng),
                1 => PushCloseDate(step, rep, ref rng),
                2 => AdvanceStage(step, rep, ref rng),
                3 => AddContactRole(step, rep, ref rng),
                _ => LogCall(step, rep, ref rng),
            };
            if (action is not null)
            {
                actions.Add(action);
            }

            if (options.StepInterval > TimeSpan.Zero)
            {
                await Task.Delay(options.StepInterval, services.Options.TimeProvider, cancellationToken);
            }
        }

        return new ScenarioReport(actions, [.. quiet.Select(org.UserId)]);
    }

    private DateOnly Today => DateOnly.FromDateTime(services.Options.TimeProvider.GetUtcNow().UtcDateTime);

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private ScenarioAction? CreateOpportunity(int step, int rep, ref Rng rng)
    {
        var org = services.Org;
        var account = FindOpenOpportunity(ref rep, ref rng) is { } existing
            ? org.Opportunities.Get(existing, org.Opportunities.Field("AccountId")).ToInvariantString()
            : null;
        var close = Today.AddDays(rng.Next(30, 120));
        var fields = new Dictionary<string, object?>
        {
            ["Name"] = $"New opportunity {step} - {NamePools.Products[rng.Next(NamePools.Products.Length)]}",
            ["StageName"] = StageLadder.Prospecting.Name,
            ["CloseDate"] = Date(close),
            ["Amount"] = (double)(rng.Next(10, 300) * 1_000),
            ["OwnerId"] = org.UserId(rep),
            ["AccountId"] = account,
        };
        var outcome = services.Writer.Save(WriteContext.Ui(rep), [WriteRequest.Of("Opportunity", null, fields)])[0];
        return outcome.Success ? new ScenarioAction(step, "create-opportunity", org.UserId(rep), outcome.Id!, $"Prospecting, close {Date(close)}") : null;
    }

    private ScenarioAction? PushCloseDate(int step, int rep, ref Rng rng)
    {
        if (FindOpenOpportunity(ref rep, ref rng) is not { } row)
        {
            return null;
        }

        var org = services.Org;
        DateOnly current;
        lock (org.Sync)
        {
            current = org.Opportunities.Get(row, OpportunityTable.CloseDateField).AsDate;
        }

        var pushed = (current < Today ? Today : current).AddDays(rng.Next(20, 95));
        var id = SalesforceIds.Create(SalesforceIds.Opportunity, row);
        var outcome = services.Writer.Save(WriteContext.Ui(rep), [WriteRequest.Of("Opportunity", id, new Dictionary<string, object?> { ["CloseDate"] = Date(pushed) })])[0];
        return outcome.Success ? new ScenarioAction(step, "push-close-date", org.UserId(rep), id, $"{Date(current)} -> {Date(pushed)}") : null;
    }

    private ScenarioAction? AdvanceStage(int step, int rep, ref Rng rng)
    {
        if (FindOpenOpportunity(ref rep, ref rng) is not { } row)
        {
            return null;
        }

        var org = services.Org;
        Stage stage;
        lock (org.Sync)
        {
            stage = org.Opportunities.StageOf(row);
        }

        var next = stage.Code == StageLadder.Negotiation.Code
            ? (DecideWin(row, ref rng) ? StageLadder.ClosedWon : StageLadder.ClosedLost)
            : StageLadder.All[stage.Code + 1];
        var id = SalesforceIds.Create(SalesforceIds.Opportunity, row);
        var fields = new Dictionary<string, object?> { ["StageName"] = next.Name };
        if (!next.IsClosed)
        {
            fields["NextStep"] = $"{Date(Today.AddDays(rng.Next(2, 10)))} {NamePools.NextSteps[rng.Next(NamePools.NextSteps.Length)]}";
        }

        var outcome = services.Writer.Save(WriteContext.Ui(rep), [WriteRequest.Of("Opportunity", id, fields)])[0];
        return outcome.Success ? new ScenarioAction(step, "advance-stage", org.UserId(rep), id, $"{stage.Name} -> {next.Name}") : null;
    }

    /// <summary>
    /// The org's outcome model (see <see cref="OutcomeModelParameters"/>) applied to what the deal shows today. The
    /// scenario reads only the opportunity's own fields (no history or contact-role scan), so its share is of the four
    /// criteria those fields show and it counts no pushes; the random control stays a coin toss.
    /// </summary>
    private bool DecideWin(int row, ref Rng rng)
    {
        var org = services.Org;
        var truth = org.GroundTruth.Outcomes;
        var parameters = truth?.Parameters ?? OutcomeModelParameters.Default;
        if (truth?.Model == "random")
        {
            return rng.Chance(parameters.RandomWinRate);
        }

        bool customerDriven, executive, buyingPlan, dated, lateDiscount;
        lock (org.Sync)
        {
            var table = org.Opportunities;
            FieldValue Get(string field) => table.Get(row, table.Field(field));
            var close = table.Get(row, OpportunityTable.CloseDateField);
            var compelling = Get("Compelling_Event_Date__c");
            customerDriven = !compelling.IsNull && !close.IsNull && compelling.AsDate >= close.AsDate && compelling.AsDate >= Today;
            executive = (!Get("Executive_Sponsor__c").IsNull || !Get("Economic_Buyer__c").IsNull) && !Get("Identified_Pain__c").IsNull;
            buyingPlan = !Get("Decision_Process__c").IsNull && !Get("Decision_Criteria__c").IsNull;
            var nextStep = Get("Next_Step_Date__c");
            dated = !nextStep.IsNull && nextStep.AsDate >= Today;
            var discount = Get("Discount_Percent__c");
            lateDiscount = !discount.IsNull && discount.AsDouble >= 20;
        }

        var share = ((customerDriven ? 1 : 0) + (executive ? 1 : 0) + (buyingPlan ? 1 : 0) + (dated ? 1 : 0)) / 4.0;
        var noise = Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2.0 * Math.PI * rng.NextDouble()) * parameters.Noise;
        return rng.Chance(parameters.WinProbability(share, customerDriven, pushes: 0, lateDiscount, noise));
    }

    private ScenarioAction? LogCall(int step, int rep, ref Rng rng)
    {
        if (FindOpenOpportunity(ref rep, ref rng) is not { } row)
        {
            return null;
        }

        var org = services.Org;
        var id = SalesforceIds.Create(SalesforceIds.Opportunity, row);
        var fields = new Dictionary<string, object?>
        {
            ["WhatId"] = id,
            ["OwnerId"] = org.UserId(rep),
            ["Subject"] = "Call",
            ["ActivityDate"] = Date(Today),
            ["Status"] = "Completed",
            ["Type"] = "Call",
        };
        var outcome = services.Writer.Save(WriteContext.Ui(rep), [WriteRequest.Of("Task", null, fields)])[0];
        return outcome.Success ? new ScenarioAction(step, "log-call", org.UserId(rep), outcome.Id!, $"call on {id}") : null;
    }

    private ScenarioAction? AddContactRole(int step, int rep, ref Rng rng)
    {
        if (FindOpenOpportunity(ref rep, ref rng) is not { } row)
        {
            return null;
        }

        var org = services.Org;
        var id = SalesforceIds.Create(SalesforceIds.Opportunity, row);
        FieldValue account;
        lock (org.Sync)
        {
            account = org.Opportunities.Get(row, org.Opportunities.Field("AccountId"));
        }

        if (account.IsNull)
        {
            return null;
        }

        var contact = SalesforceIds.Create(SalesforceIds.Contact, (account.Int * OrgGenerator.ContactsPerAccount) + rng.Next(OrgGenerator.ContactsPerAccount));
        var role = NamePools.ContactRoles[rng.Next(NamePools.ContactRoles.Length)];
        var fields = new Dictionary<string, object?> { ["OpportunityId"] = id, ["ContactId"] = contact, ["Role"] = role, ["IsPrimary"] = false };
        var outcome = services.Writer.Save(WriteContext.Ui(rep), [WriteRequest.Of("OpportunityContactRole", null, fields)])[0];
        return outcome.Success ? new ScenarioAction(step, "add-contact-role", org.UserId(rep), outcome.Id!, $"{role} on {id}") : null;
    }

    /// <summary>
    /// Samples rows until it finds an open opportunity of an active rep (bounded, no full scan); the acting rep
    /// becomes that opportunity's owner.
    /// </summary>
    private int? FindOpenOpportunity(ref int rep, ref Rng rng)
    {
        var org = services.Org;
        lock (org.Sync)
        {
            var table = org.Opportunities;
            for (var attempt = 0; attempt < 4_000 && table.Count > 0; attempt++)
            {
                var row = rng.Next(table.Count);
                var owner = (int)table.Get(row, OpportunityTable.OwnerField).Int;
                if (activeReps.Contains(owner) && !table.StageOf(row).IsClosed && !table.IsRowDeleted(row))
                {
                    rep = owner;
                    return row;
                }
            }
        }

        return null;
    }
}
