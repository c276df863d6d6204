using PipelineCoach.Cadence;
using PipelineCoach.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(CadenceService.Info, CadenceService.AddConsumers);
builder.Services.AddCadenceServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapCadenceApi();

return await app.RunServiceAsync(args);

namespace PipelineCoach.Cadence
{
    /// <summary>Entry point marker for WebApplicationFactory.</summary>
    public sealed partial class Program;
}
