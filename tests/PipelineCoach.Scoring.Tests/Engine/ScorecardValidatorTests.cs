using System.Text.Json.Nodes;
using FluentValidation.Results;
using FluentValidation;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;

namespace PipelineCoach.Scoring.Tests.Engine;

[TestFixture]
public sealed class When_validating_scorecards
{
    private static readonly ScorecardValidator Validator = new();

    /// <summary>The default scorecard's JSON with one edit applied, parsed back into a scorecard.</summary>
    private static Scorecard DefaultWith(Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(DefaultScorecards.ProactiveQualificationJson)!.AsObject();
        edit(json);
        return ScorecardJson.Deserialize(json.ToJsonString());
    }

    private static JsonObject Criterion(JsonObject scorecard, int index) => scorecard["criteria"]![index]!.AsObject();

    private static JsonObject Flag(JsonObject scorecard, int index) => scorecard["flags"]![index]!.AsObject();

    private static List<ValidationFailure> Errors(Scorecard scorecard) => Validator.Validate(scorecard).Errors;

    [Test]
    public void Should_accept_both_default_scorecards()
    {
        Assert.That(Errors(DefaultScorecards.ProactiveQualification), Is.Empty);
        Assert.That(Errors(DefaultScorecards.Meddicc), Is.Empty);
    }

    [Test]
    public void Should_reject_an_unknown_field_at_every_level_by_its_path()
    {
        var scorecard = DefaultWith(json =>
        {
            json["colour"] = "blue";
            Criterion(json, 0)["wieght"] = 3;
            Criterion(json, 1)["rule"]!["all"]![1]!["oprator"] = "isSet";
            json["grades"]![0]!["label"] = "x";
        });

        Assert.That(Errors(scorecard).Select(e => e.PropertyName), Is.SupersetOf(new[]
        {
            "colour", "criteria[0].wieght", "criteria[1].rule.all[1].oprator", "grades[0].label",
        }));
        Assert.That(Errors(scorecard).Single(e => e.PropertyName == "colour").ErrorMessage, Is.EqualTo("'colour' is not a known field."));
    }

    [Test]
    public void Should_reject_a_fact_that_does_not_exist()
    {
        var errors = Errors(DefaultWith(json => Criterion(json, 3)["rule"]!["all"]![0]!["field"] = "ContactRoles.Cuont"));

        Assert.That(errors.Select(e => (e.PropertyName, e.ErrorMessage)), Does.Contain(("criteria[3].rule.all[0].field", "'ContactRoles.Cuont' is not a known fact.")));
    }

    [Test]
    public void Should_reject_a_custom_field_that_is_not_declared()
    {
        var errors = Errors(DefaultWith(json => Flag(json, 3)["when"]!["all"]![0]!["field"] = "Discount__c"));

        Assert.That(errors.Select(e => (e.PropertyName, e.ErrorMessage)),
            Does.Contain(("flags[3].when.all[0].field", "Custom field 'Discount__c' is not declared in customFields.")));
    }

    [Test]
    public void Should_reject_an_operator_that_does_not_exist()
    {
        var errors = Errors(DefaultWith(json => Criterion(json, 3)["rule"]!["all"]![0]!["operator"] = "atLeast"));

        var error = errors.Single(e => e.PropertyName == "criteria[3].rule.all[0].operator");
        Assert.That(error.ErrorMessage, Does.StartWith("'atLeast' is not an operator; use one of: eq, gt, gte"));
    }

    [Test]
    public void Should_reject_an_operator_that_does_not_fit_the_fact_type()
    {
        var errors = Errors(DefaultWith(json => Criterion(json, 2)["rule"]!["all"]![0]!["operator"] = "gt"));

        Assert.That(errors.Single(e => e.PropertyName == "criteria[2].rule.all[0].operator").ErrorMessage,
            Does.StartWith("Operator 'gt' does not apply to text fact 'Decision_Process__c'"));
    }

    [Test]
    public void Should_reject_a_value_of_the_wrong_type()
    {
        var errors = Errors(DefaultWith(json => Criterion(json, 3)["rule"]!["all"]![0]!["value"] = "three"));

        Assert.That(errors.Select(e => e.PropertyName), Does.Contain("criteria[3].rule.all[0].value"));
    }

    [Test]
    public void Should_reject_a_missing_value_and_a_value_on_a_unary_operator()
    {
        var errors = Errors(DefaultWith(json =>
        {
            Criterion(json, 3)["rule"]!["all"]![0]!.AsObject().Remove("value");
            Criterion(json, 2)["rule"]!["all"]![0]!["value"] = "x";
        }));

        Assert.That(errors.Select(e => (e.PropertyName, e.ErrorMessage)), Does.Contain(("criteria[3].rule.all[0].value", "Operator 'gte' needs a 'value'.")));
        Assert.That(errors.Select(e => (e.PropertyName, e.ErrorMessage)), Does.Contain(("criteria[2].rule.all[0].value", "Operator 'isSet' takes no value.")));
    }

    [Test]
    public void Should_reject_an_empty_values_list()
    {
        var errors = Errors(DefaultWith(json => Criterion(json, 3)["rule"]!["all"]![1]!["values"] = new JsonArray()));

        Assert.That(errors.Select(e => e.PropertyName), Does.Contain("criteria[3].rule.all[1].values"));
    }

    [Test]
    public void Should_reject_a_condition_with_two_shapes()
    {
        var errors = Errors(DefaultWith(json => Criterion(json, 0)["rule"]!["field"] = "Amount"));

        Assert.That(errors.Select(e => (e.PropertyName, e.ErrorMessage)),
            Does.Contain(("criteria[0].rule", "A condition needs exactly one of: 'field' with 'operator', 'all', or 'any'.")));
    }

    [Test]
    public void Should_reject_a_missing_rule()
    {
        var errors = Errors(DefaultWith(json => Criterion(json, 4).Remove("rule")));

        Assert.That(errors.Select(e => e.PropertyName), Does.Contain("criteria[4].rule"));
    }

    [Test]
    public void Should_reject_weights_that_do_not_add_up_to_one_hundred()
    {
        var errors = Errors(DefaultWith(json => Criterion(json, 0)["weight"] = 15));

        Assert.That(errors.Select(e => (e.PropertyName, e.ErrorMessage)),
            Does.Contain(("criteria", "Criterion weights add up to 95; they must add up to 100.")));
    }

    [Test]
    public void Should_reject_a_weight_out_of_range()
    {
        var errors = Errors(DefaultWith(json => Criterion(json, 0)["weight"] = 0));

        Assert.That(errors.Select(e => e.PropertyName), Does.Contain("criteria[0].weight"));
    }

    [Test]
    public void Should_reject_duplicate_criterion_and_flag_ids()
    {
        var errors = Errors(DefaultWith(json =>
        {
            Criterion(json, 1)["id"] = "customer-close-date";
            Flag(json, 2)["id"] = "slipping";
        }));

        Assert.That(errors.Select(e => e.PropertyName), Is.SupersetOf(new[] { "criteria[1].id", "flags[2].id" }));
    }

    [Test]
    public void Should_reject_overlapping_grade_bands()
    {
        var errors = Errors(DefaultWith(json => json["grades"]![1]!["max"] = 85));

        Assert.That(errors.Single(e => e.PropertyName == "grades[0].min").ErrorMessage,
            Is.EqualTo("Grade 'A' (80–100) overlaps grade 'B' (60–85)."));
    }

    [Test]
    public void Should_reject_gaps_between_grade_bands()
    {
        var errors = Errors(DefaultWith(json => json["grades"]![2]!["max"] = 55));

        Assert.That(errors.Single(e => e.PropertyName == "grades[1].min").ErrorMessage,
            Is.EqualTo("Scores 56–59 fall between grade 'C' and grade 'B'."));
    }

    [Test]
    public void Should_reject_grade_bands_that_do_not_reach_zero_and_one_hundred()
    {
        var errors = Errors(DefaultWith(json =>
        {
            json["grades"]![0]!["max"] = 99;
            json["grades"]![3]!["min"] = 1;
        }));

        Assert.That(errors.Select(e => e.PropertyName), Is.SupersetOf(new[] { "grades[0].max", "grades[3].min" }));
    }

    [Test]
    public void Should_reject_a_win_probability_outside_zero_to_one()
    {
        var errors = Errors(DefaultWith(json => json["grades"]![0]!["winProbability"] = 50));

        Assert.That(errors.Select(e => e.PropertyName), Does.Contain("grades[0].winProbability"));
    }

    [Test]
    public void Should_reject_unknown_stages_in_expectations_and_conditions()
    {
        var errors = Errors(DefaultWith(json =>
        {
            Criterion(json, 0)["expectedFromStage"] = "Proposal";
            Flag(json, 2)["when"]!["all"]![0]!["value"] = "Proposal";
        }));

        Assert.That(errors.Select(e => (e.PropertyName, e.ErrorMessage)), Does.Contain(("criteria[0].expectedFromStage", "'Proposal' is not one of the scorecard's stages.")));
        Assert.That(errors.Select(e => e.PropertyName), Does.Contain("flags[2].when.all[0].value"));
    }

    [Test]
    public void Should_reject_flags_only_facts_in_criteria()
    {
        var errors = Errors(DefaultWith(json => Criterion(json, 0)["rule"]!["all"]![0] = new JsonObject { ["field"] = "Score", ["operator"] = "gte", ["value"] = 50 }));

        Assert.That(errors.Single(e => e.PropertyName == "criteria[0].rule.all[0].field").ErrorMessage,
            Is.EqualTo("'Score' is computed from the criteria and can only be used in flags."));
    }

    [Test]
    public void Should_reject_an_unknown_placeholder_in_a_flag_reason()
    {
        var errors = Errors(DefaultWith(json => Flag(json, 0)["reason"] = "pushed {History.Pushes} times"));

        Assert.That(errors.Select(e => (e.PropertyName, e.ErrorMessage)),
            Does.Contain(("flags[0].reason", "Placeholder '{History.Pushes}' is not a known fact.")));
    }

    [Test]
    public void Should_reject_bad_custom_field_declarations()
    {
        var errors = Errors(DefaultWith(json =>
        {
            json["customFields"]![0]!["name"] = "CompellingEventDate";
            json["customFields"]![1]!["type"] = "picklist";
            json["customFields"]![2]!["name"] = "Economic_Buyer__c";
        }));

        Assert.That(errors.Select(e => e.PropertyName), Is.SupersetOf(new[] { "customFields[0].name", "customFields[1].type", "customFields[3].name" }));
    }

    [Test]
    public void Should_reject_a_bad_id_a_version_below_one_and_an_empty_stage_list()
    {
        var errors = Errors(DefaultWith(json =>
        {
            json["id"] = "Proactive Qualification";
            json["version"] = 0;
            json["stages"] = new JsonArray();
        }));

        Assert.That(errors.Select(e => e.PropertyName), Is.SupersetOf(new[] { "id", "version", "stages" }));
    }

    [Test]
    public void Should_report_malformed_json_with_its_path()
    {
        var json = DefaultScorecards.ProactiveQualificationJson.Replace("\"weight\": 20", "\"weight\": \"twenty\"", StringComparison.Ordinal);

        var exception = Assert.Throws<ValidationException>(() => ScorecardJson.Deserialize(json));

        Assert.That(exception!.Errors.Single().PropertyName, Is.EqualTo("criteria[0].weight"));
    }

    [Test]
    public void Should_round_trip_a_scorecard_through_json()
    {
        var json = ScorecardJson.Serialize(DefaultScorecards.Meddicc);
        var again = ScorecardJson.Deserialize(json);

        Assert.That(Errors(again), Is.Empty);
        Assert.That(ScorecardJson.Serialize(again), Is.EqualTo(json));
        Assert.That(again.Criteria.Select(c => c.Id), Is.EqualTo(DefaultScorecards.Meddicc.Criteria.Select(c => c.Id)));
    }
}

[TestFixture]
public sealed class When_compiling_an_invalid_scorecard
{
    [Test]
    public void Should_throw_a_validation_exception_listing_every_error()
    {
        var invalid = DefaultScorecards.Meddicc with { Version = 0, Grades = [] };

        var exception = Assert.Throws<ValidationException>(() => PipelineCoach.Scoring.Engine.ScorecardCompiler.Compile(invalid));

        Assert.That(exception!.Errors.Select(e => e.PropertyName), Is.SupersetOf(new[] { "version", "grades" }));
    }

    [Test]
    public void Should_reject_conditions_nested_too_deep()
    {
        var leaf = new Condition { Field = "Amount", Operator = "isSet" };
        for (var i = 0; i < ScorecardValidator.MaxConditionDepth; i++)
        {
            leaf = new Condition { All = [leaf] };
        }

        var deep = DefaultScorecards.Meddicc with
        {
            Criteria = [.. DefaultScorecards.Meddicc.Criteria.Select((c, i) => i == 0 ? c with { Rule = leaf } : c)],
        };

        var errors = new ScorecardValidator().Validate(deep).Errors;

        Assert.That(errors.Select(e => e.ErrorMessage), Has.Some.EqualTo($"Conditions nest at most {ScorecardValidator.MaxConditionDepth} levels deep."));
    }
}
