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
        new("Derived.DaysInCurrentStage", FactType.Number, "Days since the opportunity entered its current stage."),
        new("Derived.StageNormalDays", FactType.Number, "The current stage's normal duration from the scorecard."),
        new("Derived.StageAgeRatio", FactType.Number, "Days in the current stage divided by the stage's normal duration."),
        new("Derived.DaysSinceLastActivity", FactType.Number, "Days since the last activity."),
        new("Derived.DaysUntilClose", FactType.Number, "Days from the as-of date to the close date (negative when overdue)."),
        new("Derived.AgeDays", FactType.Number, "Days since the opportunity was created."),
        new("Derived.NextStepHasDate", FactType.Boolean, "Whether the next step text names a date or a weekday."),
        new("Score", FactType.Number, "The qualification score (0–100) from the criteria.", FactScope.FlagsOnly),
        new("Criteria.Overdue", FactType.Number, "How many criteria expected by the current stage are not met.", FactScope.FlagsOnly),
    ];

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
