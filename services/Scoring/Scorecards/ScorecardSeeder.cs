namespace PipelineCoach.Scoring.Scorecards;

/// <summary>Seeds the default scorecards at start-up (after migrations, which are registered earlier).</summary>
internal sealed class ScorecardSeeder(ScorecardCatalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => catalog.EnsureSeededAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
