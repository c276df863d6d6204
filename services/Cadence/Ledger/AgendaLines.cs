using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence.Ledger;

/// <summary>The agenda as plain lines (the contract's original <c>Agenda</c> list), one per item.</summary>
internal static class AgendaLines
{
    public static IReadOnlyList<string> Flatten(IReadOnlyList<AgendaSection> sections) =>
        [.. sections.SelectMany(section => section.Items.Select(item => $"{section.Title}: {Describe(item)}"))];

    private static string Describe(AgendaItem item) =>
        item.OpportunityName is null ? item.Why : $"{item.OpportunityName} ({item.OwnerName ?? "owner not known yet"}) — {item.Why}";
}
