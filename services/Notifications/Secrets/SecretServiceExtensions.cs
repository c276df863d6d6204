using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Npgsql;

namespace PipelineCoach.Notifications.Secrets;

internal static class SecretServiceExtensions
{
    public static IServiceCollection AddSecrets(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("pipelinecoach-notifications");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider => new ConfigureOptions<KeyManagementOptions>(
            options => options.XmlRepository = new PostgresKeyRepository(provider.GetRequiredService<NpgsqlDataSource>())));
        services.AddSingleton<SecretProtector>();
        return services;
    }
}
