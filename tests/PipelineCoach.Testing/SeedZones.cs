namespace PipelineCoach.Testing;

/// <summary>The zones load drivers' seeded orgs work in: both hemispheres, and offsets that are not whole hours.</summary>
public static class SeedZones
{
    public static readonly string[] All =
    [
        "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo", "Europe/London",
        "Europe/Berlin", "Africa/Johannesburg", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo", "Australia/Adelaide",
        "Australia/Sydney", "Pacific/Auckland",
    ];
}
