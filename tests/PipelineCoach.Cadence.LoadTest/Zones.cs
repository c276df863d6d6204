namespace PipelineCoach.Cadence.LoadTest;

/// <summary>The zones the seeded org works in: both hemispheres, and offsets that are not whole hours.</summary>
internal static class Zones
{
    public static readonly string[] All =
    [
        "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo", "Europe/London",
        "Europe/Berlin", "Africa/Johannesburg", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo", "Australia/Adelaide",
        "Australia/Sydney", "Pacific/Auckland",
    ];
}
