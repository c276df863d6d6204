using System.Collections.Frozen;

namespace PipelineCoach.Scoring.Engine;

/// <summary>
/// Every fact a condition can read. Custom fields are facts too, once declared in <see cref="Scorecard.CustomFields"/>.
/// Date facts are compared relative to the "as of" date the engine is given.
/// </summary>
public static class FactCatalog
{
    public const string CustomFieldSuffix = "__c";

    public static readonly IReadOnlyList<FactDefinition> BuiltIn =
    [
        new("Amount", FactType.Number, "Opportunity amount in the org currency."),
        new("Probability", FactType.Number, "Probability (0–100) from the stage or the rep."),
        new("CloseDate", FactType.Date, "Expected close date."),
        new("StageName", FactType.Stage, "Current stage; ordered by the scorecard's stages. A closed opportunity counts as past every stage."),
        new("ForecastCategoryName", FactType.Text, "Omitted, Pipeline, Best Case, Commit or Closed."),
        new("NextStep", FactType.Text, "The next step text."),
        new("LastActivityDate", FactType.Date, "Date of the latest task or event."),
        new("CreatedDate", FactType.Date, "When the opportunity was created."),
        new("IsClosed", FactType.Boolean, "Whether the stage is closed."),
        new("IsWon", FactType.Boolean, "Whether the stage is won."),
        new("ContactRoles.Count", FactType.Number, "How many contact roles the opportunity has."),
        new("ContactRoles.DistinctRoles", FactType.Number, "How many different roles (Economic Buyer, Champion, …) are filled."),
        new("ContactRoles.Roles", FactType.RoleSet, "The roles present, for containsAny / containsAll."),
        new("History.CloseDatePushCount", FactType.Number, "How many times the close date was moved later."),
        new("History.TotalDaysPushed", FactType.Number, "Total days the close date was pushed out."),
        new("History.QuarterBoundariesCrossed", FactType.Number, "How many quarter boundaries the pushes crossed."),
        new("History.StageRegressionCount", FactType.Number, "How many times the stage moved backwards."),
        new("History.CompellingEventMoves", FactType.Number, "How many times the compelling event (the scorecard's compellingEventField) was moved later, from field history; not set when Sync does not follow that field's history."),
        new("Derived.DaysInCurrentStage", FactType.Number, "Days since the opportunity entered its current stage."),
        new("Derived.StageNormalDays", FactType.Number, "The current stage's normal duration: the org's median where its closed deals give enough samples, else the scorecard's normalDays."),
        new("Derived.StageAgeRatio", FactType.Number, "Days in the current stage divided by the stage's normal duration."),
        new("Derived.DaysSinceLastActivity", FactType.Number, "Days since the last activity."),
        new("Derived.DaysUntilClose", FactType.Number, "Days from the as-of date to the close date (negative when overdue)."),
        new("Derived.AgeDays", FactType.Number, "Days since the opportunity was created."),
        new("Derived.NextStepHasDate", FactType.Boolean, "Whether the next step text names a date or a weekday."),
        new("Derived.NextStepTextDate", FactType.Date, "The calendar date the next step text names ('demo on 14 March'), without a year placed from three months before to nine months after the opportunity's last change; not set for weekdays or no date."),
        new("Derived.DaysFromCloseToEvent", FactType.Number, "Days from the close date to the compelling event (the scorecard's compellingEventField); negative when the close date falls after the event."),
        new("Derived.DaysToQuarterEnd", FactType.Number, "Days from the close date to the last day of its fiscal quarter (0 = the last day)."),
        new("Derived.NormalCycleDays", FactType.Number, "The sum of the stages' normal durations: how long a healthy deal takes end to end."),
        new("Derived.AgeCycleRatio", FactType.Number, "Days since the opportunity was created divided by the normal cycle."),
        new("Score", FactType.Number, "The qualification score (0–100) from the criteria.", FactScope.FlagsOnly),
        new("Criteria.Overdue", FactType.Number, "How many criteria expected by the current stage are not met.", FactScope.FlagsOnly),
        new("Criteria.LongOverdue", FactType.Number, "How many expected criteria have been unmet for 30 days or more since the deal reached the stage that expects them.", FactScope.FlagsOnly),
    ];

    /// <summary>What a rep or manager reads for each built-in fact.</summary>
    private static readonly FrozenDictionary<string, string> BuiltInLabels = new Dictionary<string, string>
    {
        ["Amount"] = "amount",
        ["Probability"] = "probability",
        ["CloseDate"] = "close date",
        ["StageName"] = "stage",
        ["ForecastCategoryName"] = "forecast category",
        ["NextStep"] = "next step",
        ["LastActivityDate"] = "last activity",
        ["CreatedDate"] = "created on",
        ["IsClosed"] = "closed",
        ["IsWon"] = "won",
        ["ContactRoles.Count"] = "contacts engaged",
        ["ContactRoles.DistinctRoles"] = "different buying roles",
        ["ContactRoles.Roles"] = "buying roles",
        ["History.CloseDatePushCount"] = "close date pushes",
        ["History.TotalDaysPushed"] = "days pushed in total",
        ["History.QuarterBoundariesCrossed"] = "quarter ends crossed by pushes",
        ["History.StageRegressionCount"] = "times the stage moved back",
        ["History.CompellingEventMoves"] = "times the compelling event was moved later",
        ["Derived.DaysInCurrentStage"] = "days in this stage",
        ["Derived.StageNormalDays"] = "normal days for this stage",
        ["Derived.StageAgeRatio"] = "time in stage against normal",
        ["Derived.DaysSinceLastActivity"] = "days since the last activity",
        ["Derived.DaysUntilClose"] = "days to the close date",
        ["Derived.AgeDays"] = "age in days",
        ["Derived.NextStepHasDate"] = "next step names a day",
        ["Derived.NextStepTextDate"] = "date named in the next step",
        ["Derived.DaysFromCloseToEvent"] = "days from the close date to the compelling event",
        ["Derived.DaysToQuarterEnd"] = "days from the close date to its quarter end",
        ["Derived.NormalCycleDays"] = "normal sales cycle in days",
        ["Derived.AgeCycleRatio"] = "age against the normal cycle",
        ["Score"] = "qualification score",
        ["Criteria.Overdue"] = "expected criteria not met",
        ["Criteria.LongOverdue"] = "criteria overdue for 30 days or more",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The words a person reads for a fact: the built-in label, the custom field's declared label, or the API name made
    /// readable ("Economic_Buyer__c" → "economic buyer").
    /// </summary>
    public static string Label(string name, IReadOnlyList<CustomFieldDefinition> customFields)
    {
        if (BuiltInLabels.TryGetValue(name, out var label))
        {
            return label;
        }

        foreach (var field in customFields)
        {
            if (string.Equals(field.Name, name, StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(field.Label))
            {
                return field.Label;
            }
        }

        var bare = name.EndsWith(CustomFieldSuffix, StringComparison.Ordinal) ? name[..^CustomFieldSuffix.Length] : name;
        return bare.Replace('_', ' ').Trim().ToLowerInvariant();
    }

    public static readonly FrozenDictionary<string, FactDefinition> BuiltInByName =
        BuiltIn.ToFrozenDictionary(fact => fact.Name, StringComparer.Ordinal);

    public static FactType? ParseCustomFieldType(string? type) => type switch
    {
        "text" => FactType.Text,
        "number" => FactType.Number,
        "date" => FactType.Date,
        "boolean" => FactType.Boolean,
        _ => null,
    };

    /// <summary>Resolves a fact name against the built-in facts and the scorecard's declared custom fields.</summary>
    public static FactDefinition? Resolve(string name, IReadOnlyList<CustomFieldDefinition> customFields)
    {
        if (BuiltInByName.TryGetValue(name, out var builtIn))
        {
            return builtIn;
        }

        foreach (var field in customFields)
        {
            if (string.Equals(field.Name, name, StringComparison.Ordinal) && ParseCustomFieldType(field.Type) is { } type)
            {
                return new FactDefinition(field.Name, type, field.Description ?? "Custom field.");
            }
        }

        return null;
    }
}
