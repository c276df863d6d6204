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

        // Data Protection warms its key ring up in a hosted service that starts before the migrations create the key
        // table; the ring loads on first use instead, once the service is up.
        var warmUp = services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService").ToList();
        foreach (var descriptor in warmUp)
        {
            services.Remove(descriptor);
        }

        return services;
    }
}
