using Microsoft.Extensions.Options;
using PipelineCoach.Testing;

namespace PipelineCoach.Cadence.Tests.Agendas;

public sealed class When_scoring_is_configured_without_a_way_to_get_a_token
{
    [Test]
    public void Should_refuse_to_start_and_say_what_is_missing()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Scoring:BaseUrl"] = "http://127.0.0.1:5102",
            ["Auth:Authority"] = "https://issuer.example.com",
            ["Auth:SigningKey"] = "",
        };

        var failure = Assert.CatchAsync(async () => await (await ServiceHost<Program>.StartAsync("cadence", settings)).DisposeAsync());

        var validation = failure as OptionsValidationException ?? failure?.InnerException as OptionsValidationException;
        Assert.That(validation, Is.Not.Null, $"expected an options validation failure, got {failure}");
        Assert.That(validation!.Message, Does.Contain("Auth:ClientCredentials").And.Contain("Scoring:BaseUrl"));
    }
}
