using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using PipelineCoach.Contracts.Scoring;
using PipelineCoach.Scoring.Engine;
using PipelineCoach.Scoring.Scorecards;
using PipelineCoach.Scoring.Scores;
using PipelineCoach.ServiceDefaults.Data;
using PipelineCoach.ServiceDefaults.Http;

namespace PipelineCoach.Scoring.Overrides;

internal static class OverridesApi
{
    public static RouteGroupBuilder MapOverridesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/opportunities/{id}/score/override").WithTags("Scores").RequireAuthorization(ScoringScopes.Write);
        group.MapPost("", SetAsync).Validate<OverrideRequest>();
        group.MapDelete("", RemoveAsync);
        return group;
    }

    private static async Task<Results<Ok<OverrideView>, NotFound>> SetAsync(string id, OverrideRequest request, ClaimsPrincipal user,
        UnitOfWorkFactory unitOfWork, ScorecardCatalog catalog, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var current = await LockAsync(work, id, request.ScorecardId, cancellationToken);
        var scorecard = current is null ? null : await catalog.GetAsync(current.ScorecardId, current.ScorecardVersion, cancellationToken);
        if (current is null || scorecard is null)
        {
            return TypedResults.NotFound();
        }

        var now = timeProvider.GetUtcNow();
        var actor = ScorecardsApi.Actor(user);
        var score = request.Score!.Value;
        var grade = scorecard.GradeFor(score).Grade;
        var reasons = new[] { $"Manager override by {actor ?? "unknown"}: {current.EffectiveScore} (grade {current.EffectiveGrade}) → {score} (grade {grade}). Reason: {request.Reason}" };
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE scores SET override_score = @score, override_grade = @grade, override_reason = @Reason, override_by = @actor, override_at = @now
            WHERE opportunity_id = @id::bpchar AND scorecard_id = @ScorecardId
            """, new { score, grade, request.Reason, actor, now, id, current.ScorecardId }, work.Transaction, cancellationToken: cancellationToken));
        await RecordAsync(work, current, "override", score, grade, reasons, actor, now, cancellationToken);
        await work.PublishAsync(Message(current, scorecard, score, grade, reasons, isOverride: true, now), cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(new OverrideView(id, current.ScorecardId, score, grade, current.Score, current.Grade, request.Reason, actor, now));
    }

    private static async Task<Results<NoContent, NotFound>> RemoveAsync(string id, string? scorecardId, ClaimsPrincipal user,
        UnitOfWorkFactory unitOfWork, ScorecardCatalog catalog, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var current = await LockAsync(work, id, scorecardId, cancellationToken);
        if (current?.OverrideScore is null)
        {
            return TypedResults.NotFound();
        }

        var scorecard = await catalog.GetAsync(current.ScorecardId, current.ScorecardVersion, cancellationToken);

        var now = timeProvider.GetUtcNow();
        var actor = ScorecardsApi.Actor(user);
        var reasons = new[] { $"Manager override removed by {actor ?? "unknown"}: back to the computed {current.Score} (grade {current.Grade})." };
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE scores SET override_score = NULL, override_grade = NULL, override_reason = NULL, override_by = NULL, override_at = NULL
            WHERE opportunity_id = @id::bpchar AND scorecard_id = @ScorecardId
            """, new { id, current.ScorecardId }, work.Transaction, cancellationToken: cancellationToken));
        await RecordAsync(work, current, "override-removed", current.Score, current.Grade, reasons, actor, now, cancellationToken);
        await work.PublishAsync(Message(current, scorecard, current.Score, current.Grade, reasons, isOverride: false, now), cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The score to override: of the named scorecard, else the only (or first active) one.</summary>
    private static async Task<StoredScore?> LockAsync(UnitOfWork work, string id, string? scorecardId, CancellationToken cancellationToken)
    {
        var scores = await ScoreStore.LoadAsync(work.Connection, work.Transaction, [id], cancellationToken);
        return scorecardId is null
            ? scores.Values.OrderBy(s => s.ScorecardId, StringComparer.Ordinal).FirstOrDefault()
            : scores.GetValueOrDefault((id, scorecardId));
    }

    private static Task RecordAsync(UnitOfWork work, StoredScore current, string kind, int score, string grade, string[] reasons,
        string? actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO score_history (opportunity_id, scorecard_id, scorecard_version, kind, source_version, score, grade, flags,
                                       previous_score, previous_grade, reasons, detail, actor, recorded_at)
            VALUES (@OpportunityId, @ScorecardId, @ScorecardVersion, @kind, @sourceVersion, @score, @grade, @Flags,
                    @previousScore, @previousGrade, @reasons, NULL, @actor, @now)
            """,
            new
            {
                current.OpportunityId, current.ScorecardId, current.ScorecardVersion, kind,
                sourceVersion = ScoresApi.Utc(current.SourceVersion), score, grade, current.Flags,
                previousScore = current.EffectiveScore, previousGrade = current.EffectiveGrade, reasons, actor, now,
            }, work.Transaction, cancellationToken: cancellationToken));

    private static OpportunityScored Message(StoredScore current, CompiledScorecard? scorecard, int score, string grade, string[] reasons, bool isOverride,
        DateTimeOffset now) => new()
    {
        OpportunityId = current.OpportunityId,
        OwnerId = current.OwnerId,
        SourceVersion = ScoresApi.Utc(current.SourceVersion),
        OccurredAt = now,
        ScorecardId = current.ScorecardId,
        ScorecardVersion = current.ScorecardVersion,
        Score = score,
        Grade = grade,
        Flags = current.Flags,
        PreviousScore = current.EffectiveScore,
        PreviousGrade = current.EffectiveGrade,
        PreviousFlags = current.Flags,
        Changes = reasons,
        Readiness = Readiness.Of(current.Statuses),
        MissingNow = scorecard is null ? [] : [.. MissingCriterion.Of(scorecard, current.Statuses).Select(missing => missing.Prompt)],
        IsOverride = isOverride,
        Cause = ScoreCause.Override,
    };
}
