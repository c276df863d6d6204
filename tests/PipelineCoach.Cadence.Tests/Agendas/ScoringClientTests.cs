using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Npgsql;
using PipelineCoach.Cadence.Agendas;
using PipelineCoach.Cadence.Cadences;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.SalesforceSimulator;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.ServiceDefaults.Auth;
using PipelineCoach.Testing;
using ScoringProgram = PipelineCoach.Scoring.Program;

namespace PipelineCoach.Cadence.Tests.Agendas;

/// <summary>The typed Scoring client with its service token, against the real Scoring and its real auth.</summary>
public sealed class When_agendas_ask_scoring
{
    private const string Owner = "005000000000000OWN";
    private ServiceHost<ScoringProgram> _scoring = null!;
    private CadenceAgendaHost _cadence = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _scoring = await ServiceHost<ScoringProgram>.StartAsync("scoring", services: TestClock.Replace(TestClock.Start()));
        _cadence = await CadenceAgendaHost.StartAsync(_scoring);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _cadence.DisposeAsync();
        await _scoring.DisposeAsync();
    }

    private static OpportunityChanged Opportunity(string id) => new()
    {
        OpportunityId = id,
        OrganizationId = "00D000000000001EAA",
        SourceVersion = TestClock.Now,
        OccurredAt = TestClock.Now,
        Source = "webhook",
        ChangeType = "CREATE",
        ChangedFields = ["StageName"],
        Opportunity = new OpportunitySnapshot
        {
            Id = id, Name = "Globex - Analytics", OwnerId = Owner, AccountId = "001000000000001AAA", StageName = "Needs Analysis", Amount = 90_000,
            IsClosed = false, IsWon = false, CloseDate = TestClock.Today.AddDays(60), CreatedDate = TestClock.Now.AddDays(-30), LastActivityDate = TestClock.Today,
            NextStep = "Demo", CustomFields = new Dictionary<string, string?>(),
        },
        History = new OpportunityHistorySummary { CurrentStageEnteredAt = TestClock.Now.AddDays(-3) },
        ContactRoles = [new ContactRoleSnapshot { ContactId = "003000000000001AAA", Role = "Evaluator" }],
    };

    /// <summary>A deal Scoring has scored and Cadence has heard about (its OpportunityScored consumed, its row in place).</summary>
    private async Task<string> ScoredDealAsync(CadenceAgendaHost cadence)
    {
        var id = TestIds.New("006");
        await _scoring.Services.GetRequiredService<IBus>().Publish(Opportunity(id));
        // Both hosts consume from the same queues: whichever took the message has the flags.
        await Eventually.TrueAsync(
            async () => (await _cadence.QueryAsync<string>("SELECT flag FROM opportunity_flags WHERE opportunity_id = @id", new { id })).Count
                + (await cadence.QueryAsync<string>("SELECT flag FROM opportunity_flags WHERE opportunity_id = @id", new { id })).Count > 0,
            "Cadence to receive the deal's score and flags");
        foreach (var host in new[] { _cadence, cadence }.Distinct())
        {
            await host.AddUserAsync(Owner, "Olga Owner");
            await host.AddOpportunityAsync(new AgendaDeal { OpportunityId = id, Name = "Globex - Analytics", OwnerId = Owner, Stage = "Needs Analysis", Amount = 90_000 });
        }

        return id;
    }

    private static FiringOccurrence Review(string opportunityId) =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), CadenceKinds.OpportunityStrategyReview, "005000000000000MGR", [Owner], opportunityId, TestClock.Now, "UTC");

    [Test]
    public async Task Should_list_scorings_missing_criteria_with_a_token_scoring_accepts()
    {
        var id = await ScoredDealAsync(_cadence);
        var review = Review(id);

        var sections = (await _cadence.BuildAsync(review))[review.Id];

        Assert.That(sections.Select(s => s.Code), Is.EqualTo(new[] { AgendaSections.Deal, AgendaSections.MissingCriteria, AgendaSections.OpenFlags }), "no 'scores unavailable'");
        var missing = sections.Single(s => s.Code == AgendaSections.MissingCriteria).Items;
        Assert.That(missing.Select(i => i.Code), Does.Contain("executive-priority").And.Contain("multi-threaded"));
        Assert.That(missing.Single(i => i.Code == "executive-priority").Why,
            Is.EqualTo("Not shown yet: Tied to an executive priority — expected from Needs Analysis, and the deal is already in Needs Analysis."));
        var flags = sections.Single(s => s.Code == AgendaSections.OpenFlags).Items;
        Assert.That(flags.Select(i => i.Code), Does.Contain("single-threaded"));
        Assert.That(flags.All(i => i.OpportunityName == "Globex - Analytics" && i.OwnerName == "Olga Owner" && i.Amount == 90_000), Is.True);
    }

    [Test]
    public async Task Should_say_scores_were_unavailable_when_scoring_refuses_the_token()
    {
        // Another signing key: Scoring's real auth answers 401 (twice: the handler retries once with a fresh token).
        await using var stranger = await CadenceAgendaHost.StartAsync(_scoring, new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Scoring:MaxRetries"] = "0",
        });
        var id = await ScoredDealAsync(stranger);
        var review = Review(id);

        var sections = (await stranger.BuildAsync(review))[review.Id];

        Assert.That(sections.Select(s => s.Code), Is.EqualTo(new[] { AgendaSections.Deal, AgendaSections.OpenFlags, AgendaSections.ScoresUnavailable }));
        Assert.That(sections.Single(s => s.Code == AgendaSections.ScoresUnavailable).Items.Single().Why, Does.StartWith("Scores were unavailable: Scoring did not answer"));
    }

    [Test]
    public async Task Should_say_scores_were_unavailable_when_scoring_is_not_configured()
    {
        await using var local = await CadenceAgendaHost.StartAsync<ScoringProgram>(null);
        var review = Review(TestIds.New("006"));
        var sections = (await local.BuildAsync(review))[review.Id];
        Assert.That(sections.Select(s => s.Code), Is.EqualTo(new[] { AgendaSections.Deal }), "an unknown deal needs no scores");

        var weekly = new FiringOccurrence(Guid.CreateVersion7(), Guid.CreateVersion7(), CadenceKinds.WeeklyPipelineReview, "005000000000000MGR", [Owner], null, TestClock.Now, "UTC");
        var agenda = (await local.BuildAsync(weekly))[weekly.Id];
        Assert.That(agenda.Single(s => s.Code == AgendaSections.ScoresUnavailable).Items.Single().Why, Does.StartWith("Scores were unavailable: this service is not connected to Scoring"));
    }
}

/// <summary>Service tokens: minted locally with the scopes asked for and cached until shortly before expiry, or obtained by client credentials.</summary>
public sealed class When_a_service_token_is_needed
{
    private static ServiceTokenProvider Provider(TimeProvider clock, ClientCredentialsOptions? credentials = null, IHttpClientFactory? http = null) => new(
        http ?? new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>(),
        Options.Create(new AuthOptions { SigningKey = TestTokens.SigningKey, Issuer = TestTokens.Issuer, Audience = TestTokens.Audience }),
        Options.Create(credentials ?? new ClientCredentialsOptions()),
        new HostingEnvironmentStub(),
        clock,
        NullLogger<ServiceTokenProvider>.Instance);

    [Test]
    public async Task Should_mint_a_short_lived_token_with_the_scopes_and_renew_it_before_it_expires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var provider = Provider(clock);

        var token = await provider.GetAsync(["scoring.read"], CancellationToken.None);
        var parsed = new JsonWebToken(token);
        Assert.That((parsed.Issuer, parsed.Audiences.Single(), parsed.GetClaim("scope").Value, parsed.Alg), Is.EqualTo((TestTokens.Issuer, TestTokens.Audience, "scoring.read", "HS256")));
        Assert.That(parsed.ValidTo - parsed.ValidFrom, Is.EqualTo(ServiceTokenProvider.LocalLifetime));

        clock.Advance(ServiceTokenProvider.LocalLifetime - ServiceTokenProvider.RenewBefore - TimeSpan.FromSeconds(1));
        Assert.That(await provider.GetAsync(["scoring.read"], CancellationToken.None), Is.EqualTo(token), "cached while well within its life");
        Assert.That(new JsonWebToken(await provider.GetAsync(["scoring.read", "scoring.write"], CancellationToken.None)).GetClaim("scope").Value,
            Is.EqualTo("scoring.read scoring.write"), "another set of scopes, another token");

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.That(await provider.GetAsync(["scoring.read"], CancellationToken.None), Is.Not.EqualTo(token), "renewed shortly before expiry");
    }

    [Test]
    public async Task Should_use_client_credentials_from_the_configured_issuer_and_never_show_the_secret()
    {
        await using var issuer = await SimulatorApp.StartAsync(new SimulatorOptions { Org = new OrgGeneratorOptions { Seed = 1, Opportunities = 5, AsOf = TestClock.Today } });
        var endpoint = new Uri(issuer.BaseUrl, "/services/oauth2/token");
        var provider = Provider(TimeProvider.System, new ClientCredentialsOptions
        {
            TokenEndpoint = endpoint, ClientId = issuer.Options.OAuth.ConsumerKey, ClientSecret = issuer.Options.OAuth.ConsumerSecret,
        });

        var token = await provider.GetAsync(["scoring.read"], CancellationToken.None);
        Assert.That(token, Is.Not.Empty);
        Assert.That(await provider.GetAsync(["scoring.read"], CancellationToken.None), Is.EqualTo(token), "cached");

        const string wrong = "not-the-secret-1234";
        var refused = Provider(TimeProvider.System, new ClientCredentialsOptions { TokenEndpoint = endpoint, ClientId = issuer.Options.OAuth.ConsumerKey, ClientSecret = wrong });
        var error = Assert.ThrowsAsync<HttpRequestException>(() => refused.GetAsync(["scoring.read"], CancellationToken.None));
        Assert.That(error!.Message, Does.Not.Contain(wrong).And.Contain("refused"));
    }

    private sealed class HostingEnvironmentStub : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "PipelineCoach.Cadence.Tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
