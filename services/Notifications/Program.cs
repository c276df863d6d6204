using PipelineCoach.Notifications;
using PipelineCoach.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(NotificationsService.Info, NotificationsService.AddConsumers);
builder.Services.AddNotificationsServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapNotificationsApi();

return await app.RunServiceAsync(args);

namespace PipelineCoach.Notifications
{
    /// <summary>Entry point marker for WebApplicationFactory.</summary>
    public sealed partial class Program;
}
