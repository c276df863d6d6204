using Npgsql;
using NpgsqlTypes;

namespace PipelineCoach.ServiceDefaults.Data;

public static class NpgsqlBinaryImporterExtensions
{
    /// <summary>Writes the value, or NULL when it is null (a binary COPY has no parameter to carry DBNull).</summary>
    public static Task WriteNullableAsync<T>(this NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken = default) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);
}
