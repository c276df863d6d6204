using System.Globalization;

namespace PipelineCoach.ServiceDefaults.Messaging;

/// <summary>The service's <c>outbox</c> command: <c>outbox parked [LIMIT]</c>, <c>outbox requeue ID</c>, <c>outbox requeue --all</c>.</summary>
internal static class OutboxCommand
{
    private const string Usage = "usage: outbox parked [LIMIT] | outbox requeue ID | outbox requeue --all";

    public static async Task<int> RunAsync(ParkedOutbox parked, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        switch (args)
        {
            case ["parked"] or ["parked", _] when args.Length == 1 || TryParseLimit(args[1], out _):
            {
                var limit = args.Length == 1 ? OutboxAdminApi.MaxLimit : int.Parse(args[1], CultureInfo.InvariantCulture);
                var rows = await parked.ListAsync(0, limit, cancellationToken);
                foreach (var row in rows)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{row.Id}\t{row.MessageType}\t{row.MessageCount} message(s)\t{row.Attempts} attempt(s)\tparked {row.ParkedAt:O}\t{row.LastError}"));
                }

                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{rows.Count} parked row(s) shown"));
                return 0;
            }

            case ["requeue", "--all"]:
            {
                var requeued = await parked.RequeueAllAsync(cancellationToken);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"requeued {requeued} row(s)"));
                return 0;
            }

            case ["requeue", var id] when long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var rowId):
                if (await parked.RequeueAsync(rowId, cancellationToken))
                {
                    await output.WriteLineAsync($"requeued row {rowId}");
                    return 0;
                }

                await output.WriteLineAsync($"no parked outbox row has id {rowId}");
                return 1;
            default:
                await output.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static bool TryParseLimit(string value, out int limit) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit > 0;
}
