using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;

namespace PipelineCoach.Scoring.Engine;

/// <summary>
/// Validates a scorecard before it is stored or compiled. Property paths in the errors follow the JSON
/// (e.g. <c>criteria[2].rule.all[0].operator</c>) so an admin can find each mistake in the document they posted.
/// </summary>
public sealed partial class ScorecardValidator : AbstractValidator<Scorecard>
{
    public const int MaxConditionDepth = 8;

    /// <summary>Contact role names are matched through a 64-bit mask in the engine.</summary>
    public const int MaxDistinctRoleNames = 64;

    public ScorecardValidator()
    {
        RuleFor(s => s.Id).NotEmpty().Matches(SlugPattern()).WithMessage(SlugMessage).OverridePropertyName("id");
        RuleFor(s => s.Version).GreaterThanOrEqualTo(1).OverridePropertyName("version");
        RuleFor(s => s.Name).NotEmpty().OverridePropertyName("name");
        RuleFor(s => s).Custom((s, context) => ReportUnknownFields(s.UnknownFields, "", context));

        RuleFor(s => s.Stages).NotEmpty().WithMessage("At least one stage is required.").OverridePropertyName("stages");
        RuleForEach(s => s.Stages).SetValidator(new StageValidator()).OverridePropertyName("stages");
        RuleFor(s => s.Stages).Custom((stages, context) =>
            ReportDuplicates(stages.Select(stage => stage.Name), StringComparer.OrdinalIgnoreCase, "stages", "name", "stage", context));

        RuleForEach(s => s.CustomFields).SetValidator(new CustomFieldValidator()).OverridePropertyName("customFields");
        RuleFor(s => s.CustomFields).Custom((fields, context) =>
            ReportDuplicates(fields.Select(field => field.Name), StringComparer.Ordinal, "customFields", "name", "custom field", context));

        RuleFor(s => s.Criteria).NotEmpty().WithMessage("At least one criterion is required.").OverridePropertyName("criteria");
        RuleForEach(s => s.Criteria).SetValidator((scorecard, _) => new CriterionValidator(scorecard)).OverridePropertyName("criteria");
        RuleFor(s => s.Criteria).Custom((criteria, context) =>
            ReportDuplicates(criteria.Select(criterion => criterion.Id), StringComparer.Ordinal, "criteria", "id", "criterion id", context));
        RuleFor(s => s.Criteria)
            .Must(criteria => criteria.Count == 0 || criteria.Sum(criterion => criterion.Weight) == 100)
            .WithMessage(s => $"Criterion weights add up to {s.Criteria.Sum(criterion => criterion.Weight)}; they must add up to 100.")
            .OverridePropertyName("criteria");

        RuleFor(s => s.CompellingEventField)
            .Must((s, field) => s.CustomFields.Any(declared => declared.Name == field && FactCatalog.ParseCustomFieldType(declared.Type) == FactType.Date))
            .When(s => s.CompellingEventField is not null)
            .WithMessage(s => $"'{s.CompellingEventField}' is not one of the scorecard's date custom fields.")
            .OverridePropertyName("compellingEventField");
        RuleFor(s => s.FiscalYearStartMonth).InclusiveBetween(1, 12).When(s => s.FiscalYearStartMonth is not null)
            .OverridePropertyName("fiscalYearStartMonth");

        RuleForEach(s => s.Flags).SetValidator((scorecard, _) => new FlagValidator(scorecard)).OverridePropertyName("flags");
        RuleFor(s => s.Flags).Custom((flags, context) =>
            ReportDuplicates(flags.Select(flag => flag.Id), StringComparer.Ordinal, "flags", "id", "flag id", context));

        RuleFor(s => s.Grades).NotEmpty().WithMessage("At least one grade band is required.").OverridePropertyName("grades");
        RuleForEach(s => s.Grades).SetValidator(new GradeBandValidator()).OverridePropertyName("grades");
        RuleFor(s => s.Grades).Custom(ReportGradeCoverage);

        RuleFor(s => s).Custom((s, context) =>
        {
            var roleNames = AllConditions(s).SelectMany(condition => condition.Values ?? [])
                .Distinct(StringComparer.OrdinalIgnoreCase).Count();
            if (roleNames > MaxDistinctRoleNames)
            {
                context.AddFailure("criteria", $"The scorecard names {roleNames} different list values; at most {MaxDistinctRoleNames} are supported.");
            }
        });
    }

    internal const string SlugMessage = "Use lower-case letters, digits and dashes (e.g. 'economic-buyer').";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    internal static partial Regex SlugPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*__c$")]
    internal static partial Regex CustomFieldNamePattern();

    internal static void ReportUnknownFields<T>(Dictionary<string, JsonElement>? unknown, string prefix, ValidationContext<T> context)
    {
        foreach (var name in unknown?.Keys ?? Enumerable.Empty<string>())
        {
            context.AddFailure(new ValidationFailure(Join(context.PropertyPath, prefix, name), $"'{name}' is not a known field."));
        }
    }

    internal static string Join(params string?[] segments) =>
        string.Join('.', segments.Where(segment => !string.IsNullOrEmpty(segment)));

    private static void ReportDuplicates<T>(IEnumerable<string> keys, StringComparer comparer, string collection, string property, string what, ValidationContext<T> context)
    {
        var seen = new HashSet<string>(comparer);
        var index = 0;
        foreach (var key in keys)
        {
            if (!string.IsNullOrEmpty(key) && !seen.Add(key))
            {
                context.AddFailure(new ValidationFailure($"{collection}[{index}].{property}", $"Duplicate {what} '{key}'."));
            }

            index++;
        }
    }

    private static void ReportGradeCoverage(IReadOnlyList<GradeBand> grades, ValidationContext<Scorecard> context)
    {
        ReportDuplicates(grades.Select(band => band.Grade), StringComparer.Ordinal, "grades", "grade", "grade", context);
        var ordered = grades.Select((band, index) => (band, index))
            .Where(entry => entry.band.Min <= entry.band.Max)
            .OrderBy(entry => entry.band.Min).ToList();
        if (ordered.Count == 0)
        {
            return;
        }

        if (ordered[0].band.Min != 0)
        {
            context.AddFailure(new ValidationFailure($"grades[{ordered[0].index}].min", $"Grade bands must start at 0; the lowest band starts at {ordered[0].band.Min}."));
        }

        for (var i = 1; i < ordered.Count; i++)
        {
            var (previous, _) = ordered[i - 1];
            var (band, index) = ordered[i];
            if (band.Min <= previous.Max)
            {
                context.AddFailure(new ValidationFailure($"grades[{index}].min", $"Grade '{band.Grade}' ({band.Min}–{band.Max}) overlaps grade '{previous.Grade}' ({previous.Min}–{previous.Max})."));
            }
            else if (band.Min > previous.Max + 1)
            {
                context.AddFailure(new ValidationFailure($"grades[{index}].min", $"Scores {previous.Max + 1}–{band.Min - 1} fall between grade '{previous.Grade}' and grade '{band.Grade}'."));
            }
        }

        var top = ordered.MaxBy(entry => entry.band.Max);
        if (top.band.Max != 100)
        {
            context.AddFailure(new ValidationFailure($"grades[{top.index}].max", $"Grade bands must reach 100; the highest band ends at {top.band.Max}."));
        }
    }

    internal static IEnumerable<Condition> AllConditions(Scorecard scorecard) =>
        scorecard.Criteria.Select(criterion => criterion.Rule)
            .Concat(scorecard.Flags.Select(flag => flag.When))
            .OfType<Condition>()
            .SelectMany(Flatten);

    private static IEnumerable<Condition> Flatten(Condition condition) =>
        new[] { condition }.Concat((condition.All ?? []).Concat(condition.Any ?? []).SelectMany(Flatten));

    private sealed class StageValidator : AbstractValidator<StageDefinition>
    {
        public StageValidator()
        {
            RuleFor(stage => stage.Name).NotEmpty().OverridePropertyName("name");
            RuleFor(stage => stage.NormalDays).GreaterThan(0).When(stage => stage.NormalDays is not null).OverridePropertyName("normalDays");
            RuleFor(stage => stage).Custom((stage, context) => ReportUnknownFields(stage.UnknownFields, "", context));
        }
    }

    private sealed class CustomFieldValidator : AbstractValidator<CustomFieldDefinition>
    {
        public CustomFieldValidator()
        {
            RuleFor(field => field.Name).NotEmpty().Matches(CustomFieldNamePattern())
                .WithMessage(field => $"'{field.Name}' is not a custom field API name (e.g. 'Economic_Buyer__c').")
                .OverridePropertyName("name");
            RuleFor(field => field.Type)
                .Must(type => FactCatalog.ParseCustomFieldType(type) is not null)
                .WithMessage(field => $"'{field.Type}' is not a field type; use text, number, date or boolean.")
                .OverridePropertyName("type");
            RuleFor(field => field).Custom((field, context) => ReportUnknownFields(field.UnknownFields, "", context));
        }
    }

    private sealed class CriterionValidator : AbstractValidator<CriterionDefinition>
    {
        public CriterionValidator(Scorecard scorecard)
        {
            RuleFor(criterion => criterion.Id).NotEmpty().Matches(SlugPattern()).WithMessage(SlugMessage).OverridePropertyName("id");
            RuleFor(criterion => criterion.Name).NotEmpty().OverridePropertyName("name");
            RuleFor(criterion => criterion.Weight).InclusiveBetween(1, 100).OverridePropertyName("weight");
            RuleFor(criterion => criterion.ExpectedFromStage)
                .Must(stage => IsStage(scorecard, stage))
                .When(criterion => criterion.ExpectedFromStage is not null)
                .WithMessage(criterion => $"'{criterion.ExpectedFromStage}' is not one of the scorecard's stages.")
                .OverridePropertyName("expectedFromStage");
            RuleFor(criterion => criterion.Rule).NotNull().OverridePropertyName("rule");
            RuleFor(criterion => criterion.Rule!)
                .SetValidator(new ConditionValidator(scorecard, FactScope.Anywhere, depth: 1))
                .When(criterion => criterion.Rule is not null)
                .OverridePropertyName("rule");
            RuleFor(criterion => criterion).Custom((criterion, context) => ReportUnknownFields(criterion.UnknownFields, "", context));
        }
    }

    private sealed class FlagValidator : AbstractValidator<FlagDefinition>
    {
        public FlagValidator(Scorecard scorecard)
        {
            RuleFor(flag => flag.Id).NotEmpty().Matches(SlugPattern()).WithMessage(SlugMessage).OverridePropertyName("id");
            RuleFor(flag => flag.Name).NotEmpty().OverridePropertyName("name");
            RuleFor(flag => flag.When).NotNull().OverridePropertyName("when");
            RuleFor(flag => flag.When!)
                .SetValidator(new ConditionValidator(scorecard, FactScope.FlagsOnly, depth: 1))
                .When(flag => flag.When is not null)
                .OverridePropertyName("when");
            RuleFor(flag => flag.Reason).NotEmpty().OverridePropertyName("reason");
            RuleFor(flag => flag).Custom((flag, context) =>
            {
                foreach (var part in ReasonTemplate.Parse(flag.Reason ?? "").Where(part => part.IsPlaceholder))
                {
                    if (FactCatalog.Resolve(part.Text, scorecard.CustomFields) is null)
                    {
                        context.AddFailure(new ValidationFailure(Join(context.PropertyPath, "reason"), $"Placeholder '{{{part.Text}}}' is not a known fact."));
                    }
                }
            });
            RuleFor(flag => flag).Custom((flag, context) => ReportUnknownFields(flag.UnknownFields, "", context));
        }
    }

    private sealed class GradeBandValidator : AbstractValidator<GradeBand>
    {
        public GradeBandValidator()
        {
            RuleFor(band => band.Grade).NotEmpty().OverridePropertyName("grade");
            RuleFor(band => band.Min).InclusiveBetween(0, 100).OverridePropertyName("min");
            RuleFor(band => band.Max).InclusiveBetween(0, 100).OverridePropertyName("max");
            RuleFor(band => band.Max).GreaterThanOrEqualTo(band => band.Min)
                .WithMessage(band => $"max ({band.Max}) is below min ({band.Min}).").OverridePropertyName("max");
            RuleFor(band => band.WinProbability).InclusiveBetween(0.0, 1.0).When(band => band.WinProbability is not null)
                .OverridePropertyName("winProbability");
            RuleFor(band => band).Custom((band, context) => ReportUnknownFields(band.UnknownFields, "", context));
        }
    }

    private static bool IsStage(Scorecard scorecard, string? name) =>
        scorecard.Stages.Any(stage => string.Equals(stage.Name, name, StringComparison.OrdinalIgnoreCase));

    private sealed class ConditionValidator : AbstractValidator<Condition>
    {
        public ConditionValidator(Scorecard scorecard, FactScope scope, int depth)
        {
            RuleFor(condition => condition).Custom((condition, context) =>
            {
                ReportUnknownFields(condition.UnknownFields, "", context);
                var shapes = (condition.Field is not null || condition.Operator is not null ? 1 : 0)
                    + (condition.All is not null ? 1 : 0) + (condition.Any is not null ? 1 : 0);
                if (shapes != 1)
                {
                    context.AddFailure(new ValidationFailure(context.PropertyPath,
                        "A condition needs exactly one of: 'field' with 'operator', 'all', or 'any'."));
                    return;
                }

                if (depth > MaxConditionDepth)
                {
                    context.AddFailure(new ValidationFailure(context.PropertyPath, $"Conditions nest at most {MaxConditionDepth} levels deep."));
                    return;
                }

                if (condition.All is null && condition.Any is null)
                {
                    ValidateComparison(scorecard, scope, condition, context);
                }
            });

            RuleFor(condition => condition.All).NotEmpty().When(condition => condition.All is not null).OverridePropertyName("all");
            RuleForEach(condition => condition.All)
                .SetValidator((_, _) => new ConditionValidator(scorecard, scope, depth + 1))
                .When(condition => condition.All is not null && depth <= MaxConditionDepth)
                .OverridePropertyName("all");
            RuleFor(condition => condition.Any).NotEmpty().When(condition => condition.Any is not null).OverridePropertyName("any");
            RuleForEach(condition => condition.Any)
                .SetValidator((_, _) => new ConditionValidator(scorecard, scope, depth + 1))
                .When(condition => condition.Any is not null && depth <= MaxConditionDepth)
                .OverridePropertyName("any");
        }

        private static void ValidateComparison(Scorecard scorecard, FactScope scope, Condition condition, ValidationContext<Condition> context)
        {
            void Fail(string property, string message) =>
                context.AddFailure(new ValidationFailure(Join(context.PropertyPath, property), message));

            if (string.IsNullOrWhiteSpace(condition.Field))
            {
                Fail("field", "'field' is required with 'operator'.");
                return;
            }

            var fact = FactCatalog.Resolve(condition.Field, scorecard.CustomFields);
            if (fact is null)
            {
                Fail("field", condition.Field.EndsWith(FactCatalog.CustomFieldSuffix, StringComparison.Ordinal)
                    ? $"Custom field '{condition.Field}' is not declared in customFields."
                    : $"'{condition.Field}' is not a known fact.");
                return;
            }

            if (fact.Scope == FactScope.FlagsOnly && scope != FactScope.FlagsOnly)
            {
                Fail("field", $"'{fact.Name}' is computed from the criteria and can only be used in flags.");
                return;
            }

            var op = condition.Operator;
            if (string.IsNullOrWhiteSpace(op))
            {
                Fail("operator", "'operator' is required.");
                return;
            }

            var allowed = ConditionOperators.ByType[fact.Type];
            if (!allowed.Contains(op))
            {
                Fail("operator", ConditionOperators.IsKnown(op)
                    ? $"Operator '{op}' does not apply to {fact.Type.ToString().ToLowerInvariant()} fact '{fact.Name}'; use one of: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}."
                    : $"'{op}' is not an operator; use one of: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}.");
                return;
            }

            if (ConditionOperators.Unary.Contains(op))
            {
                if (condition.Value is not null)
                {
                    Fail("value", $"Operator '{op}' takes no value.");
                }

                if (condition.Values is not null)
                {
                    Fail("values", $"Operator '{op}' takes no values.");
                }

                return;
            }

            if (ConditionOperators.ListOperand.Contains(op))
            {
                if (condition.Value is not null)
                {
                    Fail("value", $"Operator '{op}' takes a 'values' list, not 'value'.");
                }

                if (condition.Values is not { Count: > 0 })
                {
                    Fail("values", $"Operator '{op}' needs a non-empty 'values' list.");
                    return;
                }

                for (var i = 0; i < condition.Values.Count; i++)
                {
                    var item = condition.Values[i];
                    if (string.IsNullOrWhiteSpace(item))
                    {
                        Fail($"values[{i}]", "List values must not be empty.");
                    }
                    else if (fact.Type == FactType.Stage && !IsStage(scorecard, item))
                    {
                        Fail($"values[{i}]", $"'{item}' is not one of the scorecard's stages.");
                    }
                }

                return;
            }

            if (condition.Values is not null)
            {
                Fail("values", $"Operator '{op}' takes a single 'value', not 'values'.");
            }

            if (condition.Value is not { } value)
            {
                Fail("value", $"Operator '{op}' needs a 'value'.");
                return;
            }

            switch (fact.Type)
            {
                case FactType.Number when value.ValueKind != JsonValueKind.Number:
                    Fail("value", $"'{fact.Name}' is a number; the value must be a JSON number.");
                    break;
                case FactType.Date when value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var days) || days < 0:
                    Fail("value", $"Operator '{op}' counts days; the value must be a whole number of days, 0 or more.");
                    break;
                case FactType.Text when value.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(value.GetString()):
                    Fail("value", $"'{fact.Name}' is text; the value must be a non-empty JSON string.");
                    break;
                case FactType.Stage when value.ValueKind != JsonValueKind.String:
                    Fail("value", "The value must be a stage name.");
                    break;
                case FactType.Stage when !IsStage(scorecard, value.GetString()):
                    Fail("value", $"'{value.GetString()}' is not one of the scorecard's stages.");
                    break;
            }
        }
    }
}
