using System.ComponentModel.DataAnnotations;

namespace PipelineCoach.ServiceDefaults.Data;

/// <summary>The service's own PostgreSQL database (section <c>Database</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Npgsql connection string of the service's own database.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Apply pending migrations at start-up (under a PostgreSQL advisory lock, so several instances may start
    /// together). Production runs the service's <c>migrate</c> command instead and sets this to false.
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;
}
