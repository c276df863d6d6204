using Dapper;
using PipelineCoach.Contracts.Sync;
using PipelineCoach.ServiceDefaults.Data;

namespace PipelineCoach.Sync.Mirror;

/// <summary>The mirrored contact roles that travel on every <see cref="OpportunityChanged"/>.</summary>
public static class ContactRoleQueries
{
    public static async Task<Dictionary<string, List<ContactRoleSnapshot>>> ForOpportunitiesAsync(
        UnitOfWork work, string[] opportunityIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, List<ContactRoleSnapshot>>(StringComparer.Ordinal);
        if (opportunityIds.Length == 0)
        {
            return result;
        }

        var rows = await work.Connection.QueryAsync<(string OpportunityId, string ContactId, string? Role, bool IsPrimary)>(new CommandDefinition(
            """
            SELECT opportunity_id, contact_id, role, is_primary FROM opportunity_contact_roles
            WHERE opportunity_id = ANY(@opportunityIds) AND NOT is_deleted AND contact_id IS NOT NULL
            ORDER BY opportunity_id, is_primary DESC, id
            """,
            new { opportunityIds },
            work.Transaction,
            cancellationToken: cancellationToken));
        foreach (var (opportunityId, contactId, role, isPrimary) in rows)
        {
            if (!result.TryGetValue(opportunityId, out var list))
            {
                result[opportunityId] = list = [];
            }

            list.Add(new ContactRoleSnapshot { ContactId = contactId, Role = role, IsPrimary = isPrimary });
        }

        return result;
    }

    public static async Task<IReadOnlyList<ContactRoleSnapshot>> ForOpportunityAsync(UnitOfWork work, string opportunityId, CancellationToken cancellationToken) =>
        (await ForOpportunitiesAsync(work, [opportunityId], cancellationToken)).GetValueOrDefault(opportunityId) ?? [];
}
