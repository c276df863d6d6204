using PipelineCoach.Scoring;
using PipelineCoach.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(ScoringService.Info, ScoringService.AddConsumers);
builder.Services.AddScoringServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapScoringApi();

return await app.RunServiceAsync(args);

namespace PipelineCoach.Scoring
{
    /// <summary>Entry point marker for WebApplicationFactory.</summary>
    public sealed partial class Program;
}
