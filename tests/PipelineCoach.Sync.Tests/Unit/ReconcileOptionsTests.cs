using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using PipelineCoach.Sync.Reconciliation;

namespace PipelineCoach.Sync.Tests.Unit;

public sealed class When_configuring_the_followed_date_fields
{
    private static ReconcileOptions Bind(string? followed)
    {
        var settings = new Dictionary<string, string?>();
        if (followed is not null)
        {
            settings["Sync:Reconcile:FollowedDateFields"] = followed;
        }

        var options = new ReconcileOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(ReconcileOptions.Section).Bind(options);
        return options;
    }

    [TestCase(null, new[] { "Compelling_Event_Date__c" })]
    [TestCase("", new string[0])]
    [TestCase("Renewal_Date__c", new[] { "Renewal_Date__c" })]
    [TestCase(" Compelling_Event_Date__c , Renewal_Date__c ", new[] { "Compelling_Event_Date__c", "Renewal_Date__c" })]
    public void Should_replace_the_default_and_turn_off_when_empty(string? configured, string[] expected) =>
        Assert.That(Bind(configured).FollowedDateFieldNames, Is.EqualTo(expected));

    [Test]
    public void Should_refuse_a_name_that_is_not_a_field_api_name()
    {
        var options = Bind("Compelling_Event_Date__c,x') OR Id != ('");
        var results = new List<ValidationResult>();

        Assert.That(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true), Is.False);
        Assert.That(results.Single().ErrorMessage, Does.Contain("is not a Salesforce field API name"));
    }
}
