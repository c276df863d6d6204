using System.Globalization;
using System.Text.RegularExpressions;
using PipelineCoach.Contracts.Sync;

namespace PipelineCoach.Scoring.Engine;

/// <summary>Reads an <see cref="OpportunityChanged"/> into the typed facts of a compiled scorecard.</summary>
public static partial class OpportunityFactsMapper
{
    /// <summary>Loads <paramref name="message"/> into <paramref name="facts"/>, replacing whatever they held.</summary>
    public static void Load(this OpportunityFacts facts, OpportunityChanged message)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(message);
        var opportunity = message.Opportunity;
        var values = facts.Values;
        facts.Clear();
        facts.OpportunityId = message.OpportunityId;
        facts.OwnerId = opportunity.OwnerId;
        facts.SourceVersion = message.SourceVersion;

        values[FactSlots.Amount] = FactValue.FromAmount(opportunity.Amount);
        values[FactSlots.Probability] = FactValue.FromAmount(opportunity.Probability);
        values[FactSlots.CloseDate] = FactValue.FromDate(opportunity.CloseDate);
        facts.SetStage(opportunity.StageName, opportunity.IsClosed);
        values[FactSlots.ForecastCategoryName] = FactValue.FromText(opportunity.ForecastCategoryName);
        values[FactSlots.NextStep] = FactValue.FromText(opportunity.NextStep);
        var namesADate = NamesADate(opportunity.NextStep);
        values[FactSlots.NextStepHasDate] = FactValue.FromBoolean(namesADate);
        // Only a text that names a day at all can name a calendar date: most next steps skip the second scan.
        values[FactSlots.NextStepTextDate] = namesADate == true
            ? FactValue.FromDate(NextStepDates.Read(opportunity.NextStep, DateOnly.FromDateTime(message.SourceVersion.UtcDateTime)))
            : FactValue.Missing;
        values[FactSlots.LastActivityDate] = FactValue.FromDate(opportunity.LastActivityDate);
        values[FactSlots.CreatedDate] = FactValue.FromDate(ToDate(opportunity.CreatedDate));
        values[FactSlots.IsClosed] = FactValue.FromBoolean(opportunity.IsClosed);
        values[FactSlots.IsWon] = FactValue.FromBoolean(opportunity.IsWon);

        LoadContactRoles(facts, message.ContactRoles);
        LoadHistory(facts, message.History, opportunity.StageName);
        LoadCustomFields(facts, opportunity.CustomFields);
        DeriveDateFacts(facts, opportunity.CloseDate);
    }

    /// <summary>The close-date facts that do not depend on the as-of day: its place in the quarter and against the event.</summary>
    private static void DeriveDateFacts(OpportunityFacts facts, DateOnly? closeDate)
    {
        var layout = facts.Layout;
        var values = facts.Values;
        values[FactSlots.NormalCycleDays] = layout.NormalCycleDays is { } cycle ? FactValue.FromNumber(cycle) : FactValue.Missing;
        if (closeDate is not { } close)
        {
            return;
        }

        values[FactSlots.DaysToQuarterEnd] = FactValue.FromNumber(FiscalQuarterEnd(close, layout.FiscalYearStartMonth).DayNumber - close.DayNumber);
        if (layout.CompellingEventSlot >= 0 && values[layout.CompellingEventSlot] is { Kind: FactKind.Date } compellingEvent)
        {
            values[FactSlots.DaysFromCloseToEvent] = FactValue.FromNumber(compellingEvent.Number - close.DayNumber);
        }
    }

    /// <summary>The last day of the fiscal quarter <paramref name="date"/> falls in, for a fiscal year starting in <paramref name="startMonth"/>.</summary>
    public static DateOnly FiscalQuarterEnd(DateOnly date, int startMonth)
    {
        var monthsIntoYear = ((date.Month - startMonth) % 12 + 12) % 12;
        var quarterStart = new DateOnly(date.Year, date.Month, 1).AddMonths(-(monthsIntoYear % 3));
        return quarterStart.AddMonths(3).AddDays(-1);
    }

    private static void LoadContactRoles(OpportunityFacts facts, IReadOnlyList<ContactRoleSnapshot> roles)
    {
        var roleNames = facts.Layout.RoleNames;
        ulong mask = 0;
        var distinct = 0;
        for (var i = 0; i < roles.Count; i++)
        {
            var role = roles[i].Role;
            if (string.IsNullOrWhiteSpace(role))
            {
                continue;
            }

            if (IsFirstOccurrence(roles, i))
            {
                distinct++;
            }

            for (var bit = 0; bit < roleNames.Length; bit++)
            {
                if (string.Equals(roleNames[bit], role, StringComparison.OrdinalIgnoreCase))
                {
                    mask |= 1UL << bit;
                }
            }
        }

        facts.Values[FactSlots.ContactRoleCount] = FactValue.FromNumber(roles.Count);
        facts.Values[FactSlots.DistinctRoleCount] = FactValue.FromNumber(distinct);
        facts.Values[FactSlots.Roles] = FactValue.FromRoles(roles, mask);
    }

    // Quadratic, but contact role lists are short and this keeps mapping free of allocations.
    private static bool IsFirstOccurrence(IReadOnlyList<ContactRoleSnapshot> roles, int index)
    {
        for (var j = 0; j < index; j++)
        {
            if (string.Equals(roles[j].Role, roles[index].Role, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private static void LoadHistory(OpportunityFacts facts, OpportunityHistorySummary? history, string? stageName)
    {
        if (history is null)
        {
            return;
        }

        facts.Values[FactSlots.CloseDatePushCount] = FactValue.FromNumber(history.CloseDatePushCount);
        facts.Values[FactSlots.TotalDaysPushed] = FactValue.FromNumber(history.TotalDaysPushed);
        facts.Values[FactSlots.QuarterBoundariesCrossed] = FactValue.FromNumber(history.QuarterBoundariesCrossed);
        facts.Values[FactSlots.StageRegressionCount] = FactValue.FromNumber(history.StageRegressionCount);
        var layout = facts.Layout;
        if (layout.CompellingEventSlot >= 0
            && PushCount(history.DateFieldPushCounts, layout.CustomFields[layout.CompellingEventSlot - FactSlots.BuiltInCount].Name) is { } eventMoves)
        {
            facts.Values[FactSlots.CompellingEventMoves] = FactValue.FromNumber(eventMoves);
        }

        var enteredAt = history.CurrentStageEnteredAt;
        if (enteredAt is null && stageName is not null && history.StageEnteredAt.TryGetValue(stageName, out var firstEntered))
        {
            enteredAt = firstEntered;
        }

        facts.CurrentStageEnteredOn = ToDate(enteredAt);
        LoadStageReach(facts, history);
    }

    /// <summary>
    /// How often <paramref name="field"/> was moved later. Salesforce API names are case-insensitive and Sync keys the
    /// counts with its own configured spelling, so a differently cased name still matches (without allocating).
    /// </summary>
    private static int? PushCount(IReadOnlyDictionary<string, int> counts, string field)
    {
        if (counts.TryGetValue(field, out var exact))
        {
            return exact;
        }

        if (counts is Dictionary<string, int> dictionary)
        {
            foreach (var (name, count) in dictionary)
            {
                if (string.Equals(name, field, StringComparison.OrdinalIgnoreCase))
                {
                    return count;
                }
            }
        }

        return null;
    }

    private static void LoadStageReach(OpportunityFacts facts, OpportunityHistorySummary history)
    {
        var stages = facts.Layout.Stages;
        var reached = facts.ReachedStageOn;
        var earliest = OpportunityFacts.NotReached;
        for (var i = stages.Length - 1; i >= 0; i--)
        {
            if (history.StageEnteredAt.TryGetValue(stages[i], out var entered))
            {
                earliest = Math.Min(earliest, DateOnly.FromDateTime(entered.UtcDateTime).DayNumber);
            }

            reached[i] = earliest;
        }
    }

    private static void LoadCustomFields(OpportunityFacts facts, IReadOnlyDictionary<string, string?> customFields)
    {
        foreach (var field in facts.Layout.CustomFields)
        {
            facts.Values[field.Slot] = customFields.TryGetValue(field.Name, out var raw)
                ? ParseCustomField(field.Type, raw)
                : FactValue.Missing;
        }
    }

    /// <summary>Parses an invariant-culture custom field value as its declared type.</summary>
    public static FactValue ParseCustomField(FactType type, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return FactValue.Missing;
        }

        switch (type)
        {
            case FactType.Number:
                return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? FactValue.FromNumber(number) : FactValue.FromUnparseable(raw);
            case FactType.Date:
                if (DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return FactValue.FromDate(date);
                }

                return DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp)
                    ? FactValue.FromDate(ToDate(timestamp)) : FactValue.FromUnparseable(raw);
            case FactType.Boolean:
                return raw.Trim() switch
                {
                    "true" or "True" or "TRUE" or "1" => FactValue.FromBoolean(true),
                    "false" or "False" or "FALSE" or "0" => FactValue.FromBoolean(false),
                    _ => FactValue.FromUnparseable(raw),
                };
            default:
                return FactValue.FromText(raw);
        }
    }

    /// <summary>Whether a next step names when it happens: a date ("2025-03-14", "14/3", "March 14") or a weekday.</summary>
    public static bool? NamesADate(string? nextStep) =>
        string.IsNullOrWhiteSpace(nextStep) ? null : DatePattern().IsMatch(nextStep);

    private static DateOnly? ToDate(DateTimeOffset? timestamp) =>
        timestamp is { } value ? DateOnly.FromDateTime(value.UtcDateTime) : null;

    [GeneratedRegex(
        @"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.]\d{1,2}([/.]\d{2,4})?\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(st|nd|rd|th)?\b|\b\d{1,2}(st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)|\b(mon|tues|wednes|thurs|fri|satur|sun)day\b|\btomorrow\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();
}
