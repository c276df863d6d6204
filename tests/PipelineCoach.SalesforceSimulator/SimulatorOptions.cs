using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.SalesforceSimulator.Org;

namespace PipelineCoach.SalesforceSimulator;

/// <summary>Everything a test, the demo or the benchmark can set on a simulator instance.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Default port of the stand-alone simulator (DESIGN.md).</summary>
    public const int DefaultPort = 5190;

    public OrgGeneratorOptions Org { get; set; } = new();

    /// <summary>Serve this already generated org instead of generating one from <see cref="Org"/>.</summary>
    public SalesforceOrg? ExistingOrg { get; set; }

    /// <summary>Port on 127.0.0.1; 0 picks a free port (in-process tests).</summary>
    public int Port { get; set; }

    public string Host { get; set; } = "127.0.0.1";

    public OAuthOptions OAuth { get; set; } = new();

    public OutboundMessageOptions OutboundMessages { get; set; } = new();

    public ChangeEventOptions ChangeEvents { get; set; } = new();

    /// <summary>Daily API request allowance: 100,000 + 1,000 per licence in an Enterprise org.</summary>
    public int DailyApiRequests { get; set; } = 115_000;

    /// <summary><c>getUpdated</c> id cap; above it the call fails with <c>EXCEEDED_ID_LIMIT</c>.</summary>
    public int UpdatedIdLimit { get; set; } = 600_000;

    /// <summary>
    /// Multiplies every delivery interval (retry back-off, lifetime). 0.001 turns the 30 s first retry into 30 ms
    /// and the 24 h lifetime into 86 s.
    /// </summary>
    public double TimeScale { get; set; } = 1.0;

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

public sealed class OAuthOptions
{
    /// <summary>Connected-app consumer key (<c>iss</c> of JWT assertions, <c>client_id</c>).</summary>
    public string ConsumerKey { get; set; } = "3MVG9PipelineCoachSimulatorConsumerKey";

    public string ConsumerSecret { get; set; } = "pipeline-coach-simulator-secret";

    /// <summary>PEM of the X.509 certificate (or RSA public key) uploaded to the connected app; null disables JWT.</summary>
    public string? JwtCertificatePem { get; set; }

    public IReadOnlyList<string> Audiences { get; set; } = ["https://login.salesforce.com", "https://test.salesforce.com"];

    public bool ClientCredentialsEnabled { get; set; } = true;

    /// <summary>Run-as user of the client-credentials flow; defaults to the integration user.</summary>
    public string? ClientCredentialsUsername { get; set; }

    /// <summary>Inactivity timeout of an access token (Salesforce's default session timeout is 2 h).</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Latest accepted JWT <c>exp</c>, counted from now (Salesforce: within 3 minutes).</summary>
    public TimeSpan MaxAssertionLifetime { get; set; } = TimeSpan.FromMinutes(3);

    public string LoginUrl { get; set; } = "https://login.salesforce.com";

    /// <summary>Returned as <c>instance_url</c>; defaults to the simulator's own base URL.</summary>
    public string? InstanceUrl { get; set; }
}

public sealed class OutboundMessageOptions
{
    /// <summary>Where SOAP outbound messages are posted; null switches outbound messages off.</summary>
    public Uri? EndpointUrl { get; set; }

    public string ObjectType { get; set; } = "Opportunity";

    /// <summary>Fields chosen in the outbound-message definition (Id is always sent first).</summary>
    public IReadOnlyList<string> Fields { get; set; } =
    [
        "Id", "Name", "AccountId", "OwnerId", "StageName", "Amount", "Probability", "CloseDate", "NextStep",
        "ForecastCategoryName", "IsClosed", "IsWon", "LastActivityDate", "LastModifiedDate", "SystemModstamp",
        "Compelling_Event_Date__c", "Executive_Sponsor__c", "Discount_Percent__c", "Next_Step_Date__c",
        "Compelling_Event__c", "Economic_Buyer__c", "Identified_Pain__c", "Decision_Process__c", "Decision_Criteria__c",
        "Metrics__c", "Champion__c", "Competition__c",
    ];

    public int MaxNotificationsPerMessage { get; set; } = 100;

    /// <summary>Send the session id of the integration user in <c>SessionId</c> ("Send Session ID").</summary>
    public bool SendSessionId { get; set; }

    public TimeSpan FirstRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromHours(2);

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

public sealed class ChangeEventOptions
{
    /// <summary>Where JSON change events are posted; null switches them off.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>Standard Webhooks secret: <c>whsec_</c> + base64 key.</summary>
    public string Secret { get; set; } = "whsec_" + Convert.ToBase64String("pipeline-coach-simulator-webhook-key"u8.ToArray());

    public IReadOnlyList<string> Entities { get; set; } = ["Opportunity", "Account", "User", "OpportunityContactRole", "Task"];

    /// <summary>1 posts one payload object per request; more posts JSON arrays of up to this many payloads.</summary>
    public int MaxEventsPerPost { get; set; } = 1;

    public TimeSpan FirstRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    public int MaxAttempts { get; set; } = 8;
}
