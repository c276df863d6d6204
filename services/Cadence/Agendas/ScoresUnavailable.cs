using PipelineCoach.Contracts.Cadence;

namespace PipelineCoach.Cadence.Agendas;

/// <summary>The section that says live figures from Scoring are missing from an agenda, and what was used instead.</summary>
internal static class ScoresUnavailable
{
    public static AgendaSection Section(AgendaScope scope, string instead, AgendaDeal? deal = null)
    {
        var why = scope.Scoring.Status == ScoringStatus.NotConfigured
            ? $"Scores were unavailable: this service is not connected to Scoring, so {instead}."
            : $"Scores were unavailable: Scoring did not answer when the agenda was built, so {instead}.";
        return new AgendaSection
        {
            Code = AgendaSections.ScoresUnavailable,
            Title = "Scores unavailable",
            Items = [deal is null ? scope.RepItem(scope.Occurrence.AssigneeId, AgendaSections.ScoresUnavailable, why) : scope.Item(deal, AgendaSections.ScoresUnavailable, why)],
        };
    }
}
