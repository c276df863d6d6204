using System.Net.Http.Headers;
using System.Text;
using PipelineCoach.SalesforceSimulator.Generation;

namespace PipelineCoach.SalesforceSimulator.Tests;

internal sealed class When_time_passes : SimulatorFixture
{
    private readonly AdjustableTimeProvider clock = new();

    protected override int Opportunities => 100;

    protected override void Configure(SimulatorOptions options)
    {
        options.TimeProvider = clock;
        options.UpdatedIdLimit = 5;
    }

    [Test]
    public async Task Should_refuse_replication_windows_over_the_id_limit_then_expire_idle_sessions()
    {
        var start = Uri.EscapeDataString(clock.GetUtcNow().AddMinutes(-2).ToString("O"));
        var records = string.Join(",", Enumerable.Range(0, 6).Select(r => $$"""{"attributes":{"type":"Opportunity"},"id":"{{SalesforceIds.Create("006", r)}}","NextStep":"x"}"""));
        using var save = await Client.PatchAsync("services/data/v62.0/composite/sobjects", $$"""{"records":[{{records}}]}""");
        clock.Offset += TimeSpan.FromMinutes(2);
        var end = Uri.EscapeDataString(clock.GetUtcNow().ToString("O"));
        using var tooMany = await Client.GetAsync($"services/data/v62.0/sobjects/Opportunity/updated?start={start}&end={end}");
        var error = await tooMany.JsonAsync();
        using var stillValid = await Client.GetAsync("services/data/v62.0/limits");

        clock.Offset += TimeSpan.FromHours(2);
        using var expired = await Client.GetAsync("services/data/v62.0/limits");

        Assert.Multiple(() =>
        {
            Assert.That((int)tooMany.StatusCode, Is.EqualTo(400));
            Assert.That(error[0].GetProperty("errorCode").GetString(), Is.EqualTo("EXCEEDED_ID_LIMIT"));
            Assert.That((int)stillValid.StatusCode, Is.EqualTo(200));
            Assert.That((int)expired.StatusCode, Is.EqualTo(401));
        });
    }

    [Test]
    public async Task Should_accept_client_credentials_in_a_basic_header()
    {
        using var anonymous = Host.CreateClient(authenticated: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, "services/oauth2/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Host.Options.OAuth.ConsumerKey}:{Host.Options.OAuth.ConsumerSecret}")));
        using var response = await anonymous.SendAsync(request);
        var body = await response.JsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
            Assert.That(body.GetProperty("token_type").GetString(), Is.EqualTo("Bearer"));
        });
    }
}

internal sealed class When_running_the_program
{
    [Test]
    public async Task Should_write_ground_truth_matching_the_generator()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gt-{Guid.NewGuid():N}.json");
        try
        {
            var exit = await Program.Main(["ground-truth", "--opportunities", "20", "--seed", "4", "--as-of", "2026-08-01", "--out", path]);
            var expected = OrgGenerator.Generate(new OrgGeneratorOptions { Seed = 4, Opportunities = 20, AsOf = new DateOnly(2026, 8, 1) }).GroundTruth;

            Assert.Multiple(async () =>
            {
                Assert.That(exit, Is.Zero);
                Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo(expected.ToJson()));
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task Should_serve_and_run_the_scenario_then_exit()
    {
        var exit = await Program.Main(["scenario", "--port", "0", "--opportunities", "200", "--steps", "5"]);

        Assert.That(exit, Is.Zero);
    }

    [Test]
    public async Task Should_stop_serving_on_sigterm()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(SimulatorApp).Assembly.Location, "serve", "--port", "0", "--opportunities", "30" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        try
        {
            var firstLine = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exited.Token);

            Assert.Multiple(() =>
            {
                Assert.That(firstLine, Does.StartWith("Salesforce simulator listening on http://127.0.0.1:"));
                Assert.That(process.ExitCode, Is.Zero);
            });
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Test]
    public async Task Should_reject_unknown_commands() =>
        Assert.That(await Program.Main(["dance"]), Is.EqualTo(2));
}
