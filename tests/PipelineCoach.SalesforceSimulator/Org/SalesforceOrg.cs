using System.Collections.Frozen;
using PipelineCoach.SalesforceSimulator.Generation;

namespace PipelineCoach.SalesforceSimulator.Org;

/// <summary>The simulated org: every table, the users and the ground truth of what was planted.</summary>
public sealed class SalesforceOrg
{
    private readonly FrozenDictionary<string, SObjectTable> tables;

    internal SalesforceOrg(
        string organizationId,
        int seed,
        DateOnly asOf,
        List<UserRecord> users,
        List<UserRoleRecord> roles,
        RowList<AccountRow> accounts,
        RowList<ContactRow> contacts,
        RowList<OpportunityRow> opportunities,
        RowList<HistoryRow> history,
        RowList<FieldHistoryRow> fieldHistory,
        RowList<ContactRoleRow> contactRoles,
        RowList<TaskRow> tasks,
        GroundTruth groundTruth)
    {
        OrganizationId = organizationId;
        Seed = seed;
        AsOf = asOf;
        GroundTruth = groundTruth;
        Users = new UserTable(users);
        Accounts = new AccountTable(accounts);
        Opportunities = new OpportunityTable(opportunities);
        History = new OpportunityHistoryTable(history);
        FieldHistory = new OpportunityFieldHistoryTable(fieldHistory);
        ContactRoles = new ContactRoleTable(contactRoles);
        Tasks = new TaskTable(tasks);
        var accountTable = Accounts;
        Contacts = new ContactTable(contacts, a => accountTable.Rows[a].CreatedMs);
        var rolesTable = new UserRoleTable(roles) { CreatedMs = users.Count > 0 ? users[0].CreatedMs : 0 };
        tables = new SObjectTable[] { Users, rolesTable, Accounts, Contacts, Opportunities, History, FieldHistory, ContactRoles, Tasks }
            .ToFrozenDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        UsernameIndex = users.ToFrozenDictionary(u => u.Username, u => u.Index, StringComparer.OrdinalIgnoreCase);
    }

    public string OrganizationId { get; }

    public int Seed { get; }

    /// <summary>The day the data was generated for ("today" of the story).</summary>
    public DateOnly AsOf { get; }

    public GroundTruth GroundTruth { get; }

    /// <summary>All reads and writes of table state take this lock.</summary>
    public Lock Sync { get; } = new();

    internal UserTable Users { get; }

    internal AccountTable Accounts { get; }

    internal ContactTable Contacts { get; }

    internal OpportunityTable Opportunities { get; }

    internal OpportunityHistoryTable History { get; }

    internal OpportunityFieldHistoryTable FieldHistory { get; }

    internal ContactRoleTable ContactRoles { get; }

    internal TaskTable Tasks { get; }

    internal FrozenDictionary<string, int> UsernameIndex { get; }

    public IReadOnlyList<UserRecord> UserRecords => Users.Users;

    public int OpportunityCount => Opportunities.Count;

    public IEnumerable<SObjectTable> Tables => tables.Values;

    public SObjectTable? FindTable(string name) => tables.GetValueOrDefault(name);

    /// <summary>Reads one field of a record by id (18- or 15-char); null when unknown.</summary>
    public string? ReadField(string sobjectType, string id, string field)
    {
        var table = FindTable(sobjectType) ?? throw new ArgumentException($"Unknown sObject {sobjectType}", nameof(sobjectType));
        if (!SalesforceIds.TryParse(id, out var prefix, out var row) || prefix != table.KeyPrefix || !table.Contains((int)row))
        {
            return null;
        }

        lock (Sync)
        {
            return table.Get((int)row, table.Field(field)).ToInvariantString();
        }
    }

    public string UserId(int index) => SalesforceIds.Create(SalesforceIds.User, index);

    /// <summary>The API-only integration user used by client-credentials and as default JWT subject.</summary>
    public UserRecord IntegrationUser => Users.Users[0];
}
