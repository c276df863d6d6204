using Dapper;
using PipelineCoach.Notifications.Routing;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Notifications.Opportunities;

/// <summary>A deal as the directory knows it (name, amount, owner's name), and its owner's time zone, for timing.</summary>
internal sealed record DirectoryDeal(OpportunityInfo Info, string? OwnerTimeZone);

/// <summary>
/// The deals that signals are about, read in the caller's unit of work: one query for a batch of (deal, owner)
/// pairs. A deal the directory has not heard of yet still comes back, by id, with no name.
/// </summary>
internal static class DirectoryDeals
{
    /// <summary>The deals of <paramref name="pairs"/>, by opportunity id.</summary>
    public static async Task<Dictionary<string, DirectoryDeal>> ReadAsync(UnitOfWork work, IReadOnlyList<(string OpportunityId, string? OwnerId)> pairs,
        CancellationToken cancellationToken)
    {
        var rows = await work.Connection.QueryAsync<DealRow>(new CommandDefinition(
            """
            SELECT x.id AS Id, o.name AS Name, o.amount AS Amount, r.name AS OwnerName, r.time_zone AS OwnerTimeZone
            FROM unnest(@ids::char(18)[], @owners::char(18)[]) AS x(id, owner)
            LEFT JOIN opportunities o ON o.opportunity_id = x.id
            LEFT JOIN recipients r ON r.user_id = x.owner
            """,
            new { ids = pairs.Select(p => p.OpportunityId).ToArray(), owners = pairs.Select(p => p.OwnerId).ToArray() },
            work.Transaction, cancellationToken: cancellationToken));
        var deals = new Dictionary<string, DirectoryDeal>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            // char(18) pads; ids are compared trimmed.
            var id = row.Id.Trim();
            deals[id] = new DirectoryDeal(new OpportunityInfo(id, row.Name, row.Amount, row.OwnerName), row.OwnerTimeZone);
        }

        return deals;
    }

    private sealed class DealRow
    {
        public string Id { get; set; } = "";

        public string? Name { get; set; }

        public decimal? Amount { get; set; }

        public string? OwnerName { get; set; }

        public string? OwnerTimeZone { get; set; }
    }
}
