using PipelineCoach.ServiceDefaults;
using PipelineCoach.Sync;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(SyncService.Info, SyncService.AddConsumers);
builder.Services.AddSyncServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapSyncApi();

return await app.RunServiceAsync(args);

namespace PipelineCoach.Sync
{
    /// <summary>Entry point marker for WebApplicationFactory.</summary>
    public sealed partial class Program;
}
