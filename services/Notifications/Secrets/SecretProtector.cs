using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace PipelineCoach.Notifications.Secrets;

/// <summary>
/// Encrypts what must never be read back from the database in the clear: webhook secrets and chat webhook URLs (a
/// Slack or Teams URL is itself the credential). SMTP passwords are not stored at all: they come from configuration.
/// Keys live in the service's database
/// (<see cref="PostgresKeyRepository"/>), so every instance can read what another wrote.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("PipelineCoach.Notifications.Secrets.v1");

    public byte[] Protect(string secret) => _protector.Protect(Encoding.UTF8.GetBytes(secret));

    public string Unprotect(byte[] protectedSecret) => Encoding.UTF8.GetString(_protector.Unprotect(protectedSecret));
}
