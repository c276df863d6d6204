using PipelineCoach.Contracts.Sync;

namespace PipelineCoach.Sync.Mirror;

/// <summary>The events announcing mirrored Users and Accounts, whichever path (webhook or reconcile) wrote them.</summary>
internal static class MirrorEvents
{
    public static UserChanged UserChanged(MirroredObject user, string organizationId) => new()
    {
        UserId = user.Id,
        OrganizationId = organizationId,
        SourceVersion = user.SourceVersion,
        OccurredAt = user.Timestamp("LastModifiedDate") ?? user.SourceVersion,
        Name = user["Name"] ?? (string.Join(' ', new[] { user["FirstName"], user["LastName"] }.Where(s => !string.IsNullOrEmpty(s))) is { Length: > 0 } full ? full : null),
        Email = user["Email"],
        ManagerId = user.Id18("ManagerId"),
        TimeZone = user["TimeZoneSidKey"],
        IsActive = user.Bool("IsActive") ?? true,
    };

    public static AccountChanged AccountChanged(MirroredObject account, string organizationId) => new()
    {
        AccountId = account.Id,
        OrganizationId = organizationId,
        SourceVersion = account.SourceVersion,
        OccurredAt = account.Timestamp("LastModifiedDate") ?? account.SourceVersion,
        Name = account["Name"],
        OwnerId = account.Id18("OwnerId"),
    };
}
