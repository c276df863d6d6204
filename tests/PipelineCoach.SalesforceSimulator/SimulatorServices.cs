using PipelineCoach.SalesforceSimulator.Bulk;
using PipelineCoach.SalesforceSimulator.Faults;
using PipelineCoach.SalesforceSimulator.OAuth;
using PipelineCoach.SalesforceSimulator.Org;
using PipelineCoach.SalesforceSimulator.Rest;

namespace PipelineCoach.SalesforceSimulator;

/// <summary>The state one simulator instance serves; a singleton in its web app.</summary>
internal sealed class SimulatorServices
{
    public SimulatorServices(SimulatorOptions options, SalesforceOrg org)
    {
        Options = options;
        Org = org;
        Writer = new OrgWriter(org, options.TimeProvider);
        Tokens = new TokenService(org, options.OAuth, options.TimeProvider);
        Usage = new ApiUsage(options.DailyApiRequests);
        Cursors = new QueryCursors();
        BulkJobs = new BulkJobStore(options.TimeProvider);
    }

    public SimulatorOptions Options { get; }

    public SalesforceOrg Org { get; }

    public OrgWriter Writer { get; }

    public TokenService Tokens { get; }

    public ApiUsage Usage { get; }

    public FaultSettings Faults { get; } = new();

    public QueryCursors Cursors { get; }

    public BulkJobStore BulkJobs { get; }

    /// <summary>Set once Kestrel has bound its port.</summary>
    public Uri BaseUrl { get; set; } = new("http://127.0.0.1:5190/");
}
