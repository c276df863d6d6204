namespace PipelineCoach.Testing;

/// <summary>The settings every in-process host of a test run starts from: its database, the shared broker, local-mode auth.</summary>
public static class TestSettings
{
    /// <summary>The base settings for a host on <paramref name="connectionString"/>, with <paramref name="overrides"/> applied on top.</summary>
    public static Dictionary<string, string?> For(string connectionString, string rabbitMqUri, IDictionary<string, string?>? overrides)
    {
        var all = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = connectionString,
            ["Messaging:RabbitMqUri"] = rabbitMqUri,
            ["Messaging:Outbox:PollInterval"] = "00:00:00.200",
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:Audience"] = TestTokens.Audience,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return all;
    }
}
